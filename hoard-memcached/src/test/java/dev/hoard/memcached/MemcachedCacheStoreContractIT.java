package dev.hoard.memcached;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;

/** The store contract against two real memcached servers. */
class MemcachedCacheStoreContractIT extends CacheStoreContract {

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return TestServers.builder("contract").clock(clock).build();
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }
}
