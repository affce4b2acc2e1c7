package dev.hoard.session.memory;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.util.OptionalLong;

class MemorySessionStoreContractTest extends SessionStoreContract {

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return MemorySessionStore.builder().clock(clock).build();
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(((MemorySessionStore) store).indexedSessionsOf(userId));
  }
}
