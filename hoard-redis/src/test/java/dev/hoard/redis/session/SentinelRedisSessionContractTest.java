package dev.hoard.redis.session;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.redis.testing.TestUrls;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The session store contract through Sentinel (one master, one replica, one Sentinel) on loopback. */
class SentinelRedisSessionContractTest extends SessionStoreContract {

  private static RedisServers servers;
  private static String url;

  @BeforeAll
  static void startSentinel() {
    servers = new RedisServers();
    url = TestUrls.withUniquePrefix(
        servers.startSentinel(), SentinelRedisSessionContractTest.class);
  }

  @AfterAll
  static void stopSentinel() {
    if (servers != null) {
      servers.close();
    }
  }

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return RedisSessionStores.open(url, clock);
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(((RedisSessionStore) store).indexedSessionsOf(userId));
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }
}
