package dev.hoard.session;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.cache.CacheSessionStore;
import dev.hoard.session.spi.SessionStore;

class SessionManagerOnCacheStoreTest extends SessionManagerBehaviour {

  @Override
  SessionStore openStore(ManualClock clock) {
    return CacheSessionStore.builder(MemoryCacheStore.builder().clock(clock).build()).build();
  }
}
