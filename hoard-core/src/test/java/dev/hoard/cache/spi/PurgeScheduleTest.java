package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stores' purge schedule: runs on a daemon thread, through failures, until closed. */
class PurgeScheduleTest {

  @Test
  void runsAgainAfterAFailedRunUntilClosed() {
    AtomicInteger runs = new AtomicInteger();
    PurgeSchedule schedule = PurgeSchedule.start("purge-schedule-test", Duration.ofMillis(10),
        "test store", () -> {
          if (runs.incrementAndGet() % 2 == 1) {
            throw new IllegalStateException("backend down");
          }
          return 1;
        });
    Thread purger = thread("purge-schedule-test").orElseThrow();
    assertThat(purger.isDaemon()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 4);

    schedule.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !purger.isAlive());
    int afterClose = runs.get();
    schedule.close();
    assertThat(runs.get()).isEqualTo(afterClose);
  }

  @Test
  void aZeroIntervalStartsNoThread() {
    AtomicInteger runs = new AtomicInteger();
    PurgeSchedule schedule = PurgeSchedule.start(
        "purge-schedule-off", Duration.ZERO, "test store", runs::incrementAndGet);
    assertThat(thread("purge-schedule-off")).isEmpty();
    schedule.close();
    assertThat(runs.get()).isZero();
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> PurgeSchedule.start(
        "purge-schedule-negative", Duration.ofSeconds(-1), "test store", () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  private static Optional<Thread> thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().equals(name)).findFirst();
  }
}
