package dev.hoard.redis;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.TestUrls;

/** The store contract on the shared Redis server ({@code HOARD_REDIS_URL}, default 127.0.0.1:6379). */
class StandaloneRedisContractIT extends CacheStoreContract {

  private static final String URL =
      TestUrls.withUniquePrefix(TestUrls.sharedServer(), StandaloneRedisContractIT.class);

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(URL, clock);
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }
}
