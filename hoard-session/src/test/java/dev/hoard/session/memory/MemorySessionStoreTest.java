package dev.hoard.session.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest {

  private final ManualClock clock = new ManualClock();

  private SessionRecord session(String key, String user, Duration idle) {
    Instant now = clock.instant();
    return new SessionRecord(key, now, now, now.plus(idle), user, Map.of());
  }

  @Test
  void purgeCountsTheSessionsItRemoved() {
    try (MemorySessionStore store = MemorySessionStore.builder().clock(clock).build()) {
      for (int i = 0; i < 7; i++) {
        store.create(session("short-" + i, null, Duration.ofMinutes(5)));
      }
      store.create(session("long", null, Duration.ofHours(1)));
      // The purge is told a later time than the store's clock, so it decides by that time.
      assertThat(store.purgeExpired(clock.instant().plus(Duration.ofMinutes(6)))).isEqualTo(7);
      assertThat(store.estimatedSize()).isEqualTo(1);
    }
  }

  @Test
  void expiredSessionsLeaveMemoryAndTheIndexWithoutAPurge() {
    try (MemorySessionStore store = MemorySessionStore.builder().clock(clock).build()) {
      store.create(session("a", "alice", Duration.ofMinutes(5)));
      clock.advance(Duration.ofMinutes(6));
      store.create(session("a", "alice", Duration.ofMinutes(5)));
      // Re-creating a key whose session expired keeps the new session indexed.
      assertThat(store.findByUser("alice", clock.instant())).hasSize(1);
      clock.advance(Duration.ofMinutes(6));
      store.create(session("b", null, Duration.ofMinutes(5)));
      assertThat(store.load("a", clock.instant())).isNull();
      assertThat(store.findByUser("alice", clock.instant())).isEmpty();
    }
  }

  @Test
  void theSizeBoundDropsSessionsAndTheirIndexEntries() {
    try (MemorySessionStore store =
        MemorySessionStore.builder().clock(clock).maximumSize(10).build()) {
      for (int i = 0; i < 100; i++) {
        store.create(session("s" + i, "user", Duration.ofHours(1)));
      }
      store.purgeExpired(clock.instant());
      assertThat(store.estimatedSize()).isLessThanOrEqualTo(10);
      assertThat(store.findByUser("user", clock.instant()).size())
          .isEqualTo((int) store.estimatedSize());
    }
  }

  @Test
  void urlOpensABoundedStore() {
    SessionStoreProvider provider = ServiceLoader.load(SessionStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.schemes().contains("memory"))
        .findFirst().orElseThrow();
    StoreUrl url = StoreUrl.parse("memory://?maximumSize=500");
    try (SessionBackend backend = provider.open(url, clock)) {
      url.rejectUnknownParameters();
      assertThat(backend).isInstanceOf(MemorySessionStore.class);
      assertThat(backend.description()).contains("500");
    }
    assertThatThrownBy(() -> provider.open(StoreUrl.parse("memory://?maximumSize=-1"), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> provider.open(StoreUrl.parse("memory://host"), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
  }

  @Test
  void builderRejectsABadBound() {
    assertThatThrownBy(() -> MemorySessionStore.builder().maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
  }
}
