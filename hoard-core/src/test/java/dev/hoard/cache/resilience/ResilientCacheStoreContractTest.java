package dev.hoard.cache.resilience;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import org.junit.jupiter.api.Nested;

/** A healthy store keeps its whole contract when wrapped, in every mode. */
class ResilientCacheStoreContractTest {

  @Nested
  class Strict extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return ResilientCacheStore.builder(MemoryCacheStore.builder().clock(clock).build())
          .mode(FailureMode.STRICT).build();
    }
  }

  @Nested
  class FailOpen extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return ResilientCacheStore.builder(
          MemoryCacheStore.builder().clock(clock).copyValues().build()).build();
    }
  }

  @Nested
  class Fallback extends CacheStoreContract {
    @Override
    protected CacheStore openStore(ManualClock clock) {
      return ResilientCacheStore.builder(
              MemoryCacheStore.builder().clock(clock).copyValues().build())
          .mode(FailureMode.FALLBACK).build();
    }
  }
}
