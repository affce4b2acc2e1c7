package dev.hoard.redis;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.redis.testing.TestUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract through Sentinel (one master, one replica, one Sentinel) this test starts on loopback. */
class SentinelRedisContractTest extends CacheStoreContract {

  private static RedisServers servers;
  private static String url;

  @BeforeAll
  static void startSentinel() {
    servers = new RedisServers();
    url = TestUrls.withUniquePrefix(servers.startSentinel(), SentinelRedisContractTest.class);
  }

  @AfterAll
  static void stopSentinel() {
    if (servers != null) {
      servers.close();
    }
  }

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(url, clock);
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }
}
