package dev.hoard.session.cache;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.util.OptionalLong;

class CacheSessionStoreOnMemoryContractTest extends SessionStoreContract {

  private CacheStore cache;

  @Override
  protected SessionStore openStore(ManualClock clock) {
    cache = MemoryCacheStore.builder().clock(clock).build();
    return CacheSessionStore.builder(cache).build();
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(UserIndexes.size(cache, "hoard:session:", userId));
  }
}
