package dev.hoard.cache.memory;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import org.junit.jupiter.api.Nested;

class MemoryCacheStoreContractTest {

  @Nested
  class ByReference extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return MemoryCacheStore.builder().clock(clock).build();
    }
  }

  @Nested
  class CopyingValues extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return MemoryCacheStore.builder().clock(clock).copyValues().build();
    }
  }
}
