package dev.hoard.cache.tiered;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import org.junit.jupiter.api.Nested;

/** A near cache is a store like any other: it passes the whole contract. */
class TieredCacheStoreContractTest {

  @Nested
  class WithABus extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return TieredCacheStore.builder()
          .l2(MemoryCacheStore.builder().clock(clock).copyValues().build())
          .bus(new LocalInvalidationBus())
          .build();
    }
  }

  @Nested
  class WithoutABus extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return TieredCacheStore.builder()
          .l2(MemoryCacheStore.builder().clock(clock).copyValues().build())
          .build();
    }
  }
}
