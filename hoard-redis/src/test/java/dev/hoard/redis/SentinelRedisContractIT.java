package dev.hoard.redis;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.TestUrls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract through Sentinel (one master, one replica, one Sentinel) this test starts on loopback. */
class SentinelRedisContractIT extends CacheStoreContract {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.sentinel();

  private static String url;

  @BeforeAll
  static void startSentinel() {
    url = TestUrls.withUniquePrefix(redis.url(), SentinelRedisContractIT.class);
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
