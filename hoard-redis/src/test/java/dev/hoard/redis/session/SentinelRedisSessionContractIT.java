package dev.hoard.redis.session;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.TestUrls;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The session store contract through Sentinel (one master, one replica, one Sentinel) on loopback. */
class SentinelRedisSessionContractIT extends SessionStoreContract {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.sentinel();

  private static String url;

  @BeforeAll
  static void startSentinel() {
    url = TestUrls.withUniquePrefix(
        redis.url(), SentinelRedisSessionContractIT.class);
  }

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return RedisSessionStores.open(url, clock);
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(((RedisSessionStore) store).indexedSessionsOf(userId));
  }
}
