package dev.hoard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.cache.resilience.FailureMode;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {

  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void gets_puts_evictions_and_size_under_micrometers_names() {
    MemoryCacheStore store = MemoryCacheStore.builder().maximumSize(2).clock(clock).build();
    Cache cache = Cache.builder(store).name("users").build();
    CacheMetrics.monitor(registry, cache, "app", "demo");

    cache.put("a", "1");
    cache.put("b", "2");
    cache.get("a");
    cache.get("nope");
    cache.get("nope");
    cache.put("c", "3");
    store.cleanUp();

    assertThat(counter("cache.gets", "result", "hit")).isEqualTo(1);
    assertThat(counter("cache.gets", "result", "miss")).isEqualTo(2);
    assertThat(counter("cache.puts")).isEqualTo(3);
    assertThat(counter("cache.evictions")).isEqualTo(1);
    assertThat(registry.get("cache.size").tag("cache", "users").gauge().value()).isEqualTo(2);
    assertThat(registry.get("cache.hit.ratio").gauge().value()).isEqualTo(1.0 / 3);
    assertThat(registry.get("cache.puts").meter().getId().getTags())
        .extracting(t -> t.getKey() + "=" + t.getValue())
        .contains("cache=users", "app=demo");
  }

  @Test
  void loads_and_expirations() {
    Cache cache = Cache.builder(MemoryCacheStore.builder().clock(clock).build()).name("c").build();
    new CacheMetrics(cache, "spring-name", java.util.List.of()).bindTo(registry);

    cache.remember("k", String.class, Duration.ofSeconds(1), () -> "v");
    try {
      cache.remember("boom", String.class, Duration.ofSeconds(1), () -> {
        throw new IllegalStateException("loader failed");
      });
    } catch (IllegalStateException expected) {
      // counted as a failed load
    }
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.get("k")).isNull();

    assertThat(registry.get("cache.load").tag("cache", "spring-name").tag("result", "success")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("cache.load").tag("result", "failure").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("cache.expirations").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void errors_and_dropped_writes_of_a_failing_store() {
    BreakableStore store = new BreakableStore(MemoryCacheStore.builder().clock(clock).build());
    Cache cache = Cache.builder(store).name("flaky").failureMode(FailureMode.FAIL_OPEN).build();
    CacheMetrics.monitor(registry, cache);

    cache.put("a", "1");
    store.breakDown();
    cache.put("b", "2");
    cache.get("a");

    assertThat(counter("cache.puts")).isEqualTo(1);
    assertThat(counter("cache.dropped.writes")).isEqualTo(1);
    assertThat(counter("cache.errors")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void the_stores_own_gauges() {
    Cache cache = Cache.builder(MemoryCacheStore.builder().maximumWeight(1 << 20).clock(clock)
        .build()).name("weighed").build();
    CacheMetrics.monitor(registry, cache);
    cache.put("a", "x".repeat(1000));
    clock.advance(StoreReport.FRESHNESS);

    assertThat(registry.get("hoard.memory.used").tag("cache", "weighed").gauge().value())
        .isGreaterThan(1000);
    assertThat(registry.get("hoard.memory.used").gauge().getId().getBaseUnit()).isEqualTo("bytes");
  }

  private double counter(String name, String... tags) {
    Meter meter = registry.get(name).tags(tags).meter();
    return meter.measure().iterator().next().getValue();
  }
}
