package dev.hoard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.memory.MemorySessionStore;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager purges a server store on its own, on a daemon thread, and stops when closed. */
class PurgeScheduleTest {

  @Test
  void expiredSessionsArePurgedOnTheScheduleUntilClose() {
    ManualClock clock = new ManualClock();
    MemorySessionStore store = MemorySessionStore.builder().clock(clock).build();
    SessionManager manager = SessionManager.builder(store).clock(clock)
        .purgeInterval(Duration.ofMillis(20)).build();
    Thread purger = Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals("hoard-session-purge")).findFirst().orElseThrow();
    assertThat(purger.isDaemon()).isTrue();

    String key = expiringSession(store, clock);
    clock.advance(Duration.ofMinutes(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.estimatedSize() == 0);
    assertThat(store.load(key, clock.instant())).isNull();

    manager.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !purger.isAlive());
  }

  @Test
  void withTheScheduleOffPurgeRunsWhenAsked() {
    ManualClock clock = new ManualClock();
    MemorySessionStore store = MemorySessionStore.builder().clock(clock).build();
    try (SessionManager manager = SessionManager.builder(store).clock(clock)
        .purgeInterval(Duration.ZERO).build()) {
      expiringSession(store, clock);
      clock.advance(Duration.ofMinutes(2));
      assertThat(manager.purgeExpired()).isBetween(0L, 1L);
      assertThat(store.estimatedSize()).isZero();
    }
  }

  private static String expiringSession(SessionStore store, ManualClock clock) {
    Instant now = clock.instant();
    store.create(new SessionRecord("expiring-key", now, now, now.plus(Duration.ofMinutes(1)), null,
        Map.of()));
    return "expiring-key";
  }
}
