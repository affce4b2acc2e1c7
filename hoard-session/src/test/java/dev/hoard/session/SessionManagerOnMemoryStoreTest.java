package dev.hoard.session;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.memory.MemorySessionStore;
import dev.hoard.session.spi.SessionStore;

class SessionManagerOnMemoryStoreTest extends SessionManagerBehaviour {

  @Override
  SessionStore openStore(ManualClock clock) {
    return MemorySessionStore.builder().clock(clock).build();
  }
}
