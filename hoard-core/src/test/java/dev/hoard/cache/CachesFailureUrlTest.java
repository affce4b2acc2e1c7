package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.testing.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachesFailureUrlTest {

  @Test
  void theFailureParameterChoosesTheMode(@TempDir Path directory) {
    ManualClock clock = new ManualClock();
    try (Cache strict = Caches.open("memory://?failure=strict", clock);
        Cache open = Caches.open("memory://?failure=open&breakerFailures=3&breakerCoolDown=250ms",
            clock);
        Cache fallback = Caches.open("memory://?failure=fallback", clock);
        Cache byDefault = Caches.open(directory.toUri().toString(), clock);
        Cache memory = Caches.open("memory://", clock)) {
      assertThat(strict.toString()).contains("(strict)");
      assertThat(open.toString()).contains("(fail-open)");
      assertThat(fallback.toString()).contains("(fallback to memory");
      assertThat(byDefault.toString()).contains("(fail-open)");
      assertThat(memory.toString()).as("an in-process store has no outage to survive")
          .doesNotContain("fail-open");
      fallback.put("k", "v");
      assertThat(fallback.get("k", String.class)).isEqualTo("v");
    }
  }

  @Test
  void badFailureParametersAreNamed() {
    assertThatThrownBy(() -> Caches.open("memory://?failure=ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'failure'").hasMessageContaining("'ignore'")
        .hasMessageContaining("open, strict or fallback");
    assertThatThrownBy(() -> Caches.open("memory://?breakerFailures=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("breakerFailures");
    assertThatThrownBy(() -> Caches.open("memory://?breakerCoolDown=soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("breakerCoolDown");
    assertThatThrownBy(() -> Caches.open("memory://?failures=open"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failures");
  }

  @Test
  void theReplayQueueIsSetByUrl() {
    ManualClock clock = new ManualClock();
    try (Cache cache = Caches.open("memory://?replayQueue=500&replayOverflow=drop", clock);
        Cache upper = Caches.open("memory://?replayOverflow=CLEAR", clock)) {
      assertThat(cache.toString()).as("a replay setting asks for failure handling")
          .contains("(fail-open)");
      assertThat(upper.toString()).contains("(fail-open)");
    }
    assertThatThrownBy(() -> Caches.open("memory://?replayOverflow=ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'replayOverflow'").hasMessageContaining("'ignore'")
        .hasMessageContaining("clear or drop");
    assertThatThrownBy(() -> Caches.open("memory://?replayQueue=none"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replayQueue");
  }
}
