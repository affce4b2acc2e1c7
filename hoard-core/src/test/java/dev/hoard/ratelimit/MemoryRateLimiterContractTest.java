package dev.hoard.ratelimit;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.testing.GcraStoreContract;
import org.junit.jupiter.api.Nested;

class MemoryRateLimiterContractTest {

  @Nested
  class ByReference extends GcraStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return MemoryCacheStore.builder().clock(clock).build();
    }
  }

  @Nested
  class CopyingValues extends GcraStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return MemoryCacheStore.builder().clock(clock).copyValues().build();
    }
  }
}
