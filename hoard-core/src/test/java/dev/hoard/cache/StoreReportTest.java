package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreReportTest {

  private final ManualClock clock = new ManualClock();

  /** A store that cannot count cheaply, as a remote one: its size is only in its report. */
  private final BreakableStore store = new BreakableStore(
      MemoryCacheStore.builder().maximumWeight(1 << 20).clock(clock).build()) {
    @Override
    public StoreStatistics statistics() {
      StoreStatistics counted = super.statistics();
      return new StoreStatistics(counted.evictions(), counted.expirations(), counted.errors(), -1);
    }
  };

  private final Cache cache = Cache.builder(store).name("reported").build();

  @Test
  void size_comes_from_the_report_when_the_store_does_not_count() {
    cache.put("a", "1");
    cache.put("b", "2");

    assertThat(cache.stats().size()).isEqualTo(2);
    assertThat(cache.storeReport().value("hoard.memory.used", Map.of())).isPositive();
  }

  @Test
  void the_store_is_asked_at_most_once_per_freshness_period() {
    cache.put("a", "1");
    int before = store.calls();
    StoreReport first = cache.storeReport();
    cache.stats();
    cache.scoped("tenant", "1").storeReport();
    assertThat(store.calls() - before)
        .as("one report; stats() asks statistics() itself").isEqualTo(2);

    cache.put("b", "2");
    assertThat(cache.storeReport()).isSameAs(first);
    clock.advance(StoreReport.FRESHNESS);
    assertThat(cache.storeReport().size()).isEqualTo(2);
  }

  @Test
  void a_failing_store_leaves_the_last_report_and_is_not_asked_again_at_once() {
    cache.put("a", "1");
    assertThat(cache.storeReport().size()).isEqualTo(1);
    store.breakDown();
    clock.advance(StoreReport.FRESHNESS);
    int before = store.calls();

    assertThat(cache.storeReport().size()).isEqualTo(1);
    assertThat(cache.storeReport().size()).isEqualTo(1);
    assertThat(store.calls() - before).isEqualTo(1);

    store.repair();
    cache.put("b", "2");
    clock.advance(Duration.ofSeconds(2));
    assertThat(cache.storeReport().size()).isEqualTo(2);
  }
}
