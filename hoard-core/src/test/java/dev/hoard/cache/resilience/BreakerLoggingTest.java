package dev.hoard.cache.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads what slf4j-simple writes to System.err (it looks the stream up on every line). */
class BreakerLoggingTest {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void capture() {
    original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(original);
  }

  private List<String> breakerLines() {
    return captured.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.contains(ResilientCacheStore.class.getName()))
        .toList();
  }

  @Test
  void anOutageLogsOneWarningAndItsEndOneInfoLine() {
    ManualClock clock = new ManualClock();
    BreakableStore primary =
        new BreakableStore(MemoryCacheStore.builder().clock(clock).copyValues().build());
    ResilientCacheStore store = ResilientCacheStore.builder(primary)
        .circuitBreaker(CircuitBreakerSettings.defaults().coolDown(Duration.ofSeconds(1)))
        .trialExecutor(Runnable::run)
        .build();
    primary.breakDown();
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 50; i++) {
        store.put("k" + i, new byte[] {1}, CacheStore.NEVER);
      }
      clock.advance(Duration.ofSeconds(1));
    }
    primary.repair();
    for (int i = 0; i < 50; i++) {
      store.get("k" + i);
    }

    List<String> lines = breakerLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("WARN").contains("breakable memory")
        .contains("5 failures in a row").contains("reads are misses, writes are dropped")
        .contains("test store is down");
    assertThat(lines.get(1)).contains("INFO").contains("answers again");
  }
}
