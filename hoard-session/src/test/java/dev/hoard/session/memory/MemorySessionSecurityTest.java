package dev.hoard.session.memory;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionSecurityContract;
import java.util.ArrayList;
import java.util.List;

/** The fixation and encryption guarantees on the in-memory store. */
class MemorySessionSecurityTest extends SessionSecurityContract {

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return MemorySessionStore.builder().clock(clock).build();
  }

  @Override
  protected List<byte[]> storedBytes(SessionStore store, String key) {
    SessionRecord record = store.load(key, clock.instant());
    return record == null ? List.of() : new ArrayList<>(record.attributes().values());
  }
}
