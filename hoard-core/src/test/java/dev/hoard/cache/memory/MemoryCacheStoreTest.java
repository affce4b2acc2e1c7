package dev.hoard.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the memory store does beyond the contract: bounds, sweeping, statistics. */
class MemoryCacheStoreTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void expiredEntriesAreSweptByLaterWritesAndCounted() {
    MemoryCacheStore store = MemoryCacheStore.builder().clock(clock).maximumSize(10_000).build();
    long soon = clock.millis() + Duration.ofMinutes(1).toMillis();
    for (int i = 0; i < 1_000; i++) {
      store.put("old:" + i, "v", soon);
    }
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 1_000; i++) {
      store.put("new:" + i, "v", CacheStore.NEVER);
    }
    store.cleanUp();
    assertThat(store.statistics().expirations()).isEqualTo(1_000);
    assertThat(store.statistics().size()).isEqualTo(1_000);
  }

  @Test
  void theEntryBoundEvictsAndCounts() {
    MemoryCacheStore store = MemoryCacheStore.builder().clock(clock).maximumSize(100).build();
    for (int i = 0; i < 1_000; i++) {
      store.put("k" + i, i, CacheStore.NEVER);
    }
    store.cleanUp();
    assertThat(store.statistics().size()).isEqualTo(100);
    assertThat(store.statistics().evictions()).isEqualTo(900);
  }

  @Test
  void theByteBoundWeighsValues() {
    MemoryCacheStore store = MemoryCacheStore.builder().clock(clock).maximumWeight(100_000).build();
    for (int i = 0; i < 100; i++) {
      store.put("k" + i, new byte[10_000], CacheStore.NEVER);
    }
    store.cleanUp();
    assertThat(store.statistics().size()).isLessThanOrEqualTo(10);
    assertThatThrownBy(() -> store.put("object", "not bytes", CacheStore.NEVER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("byte[]");
  }

  @Test
  void referencesAreKeptAsTheyAre() {
    MemoryCacheStore store = MemoryCacheStore.builder().clock(clock).build();
    Object value = new Object();
    store.put("k", value, CacheStore.NEVER);
    assertThat(store.get("k")).isSameAs(value);
  }

  @Test
  void boundsMustBePositive() {
    assertThatThrownBy(() -> MemoryCacheStore.builder().maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> MemoryCacheStore.builder().maximumWeight(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumWeight");
  }

  @Test
  void onTheSystemClockEntriesNearExpiryAreCheckedPrecisely() {
    MemoryCacheStore store = MemoryCacheStore.builder().build();
    store.put("past", "v", System.currentTimeMillis() - 1);
    store.put("future", "v", System.currentTimeMillis() + 60_000);
    assertThat(store.get("past")).isNull();
    assertThat(store.get("future")).isEqualTo("v");
  }
}
