package dev.hoard.cache.tiered;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.codec.DecodingException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A near cache whose L1 keeps what it decoded: a hit costs a lookup, not a decode, and a change
 * (local or announced by another process) is never hidden by an old decoded object.
 */
class SharedDecodedValuesTest {

  private final ManualClock clock = new ManualClock();
  private final AtomicInteger decodes = new AtomicInteger();
  private final ValueDecoder counting = (stored, type) -> {
    decodes.incrementAndGet();
    return new String((byte[]) stored, UTF_8);
  };

  private MemoryCacheStore l1(boolean share) {
    MemoryCacheStore.Builder builder =
        MemoryCacheStore.builder().clock(clock).copyValues().maximumSize(100);
    if (share) {
      builder.shareDecodedValues();
    }
    return builder.build();
  }

  @Test
  void aSharingStoreDecodesEachEntryOnceUntilItChanges() {
    MemoryCacheStore store = l1(true);
    store.put("k", "v1".getBytes(UTF_8), CacheStore.NEVER);
    Object first = store.getDecoded("k", String.class, counting);
    assertThat(store.getDecoded("k", String.class, counting)).isSameAs(first).isEqualTo("v1");
    assertThat(decodes).hasValue(1);

    store.put("k", "v2".getBytes(UTF_8), CacheStore.NEVER);
    assertThat(store.getDecoded("k", String.class, counting)).isEqualTo("v2");
    assertThat(decodes).hasValue(2);
    assertThat(store.getDecoded("k", CharSequence.class, counting))
        .as("another type is decoded anew").isEqualTo("v2");
    assertThat(decodes).hasValue(3);
    assertThat(store.getDecoded("absent", String.class, counting)).isNull();
  }

  @Test
  void aCopyingStoreDecodesEveryTime() {
    MemoryCacheStore store = l1(false);
    store.put("k", "v1".getBytes(UTF_8), CacheStore.NEVER);
    Object first = store.getDecoded("k", String.class, counting);
    assertThat(store.getDecoded("k", String.class, counting)).isNotSameAs(first).isEqualTo(first);
    assertThat(decodes).hasValue(2);
  }

  @Test
  void aNearCacheHandsOutTheL1ObjectAndDropsItWhenAnotherProcessWrites() {
    MemoryCacheStore l2 = MemoryCacheStore.builder().clock(clock).copyValues().build();
    LocalInvalidationBus bus = new LocalInvalidationBus();
    TieredCacheStore here = TieredCacheStore.builder().l1(l1(true)).l2(l2).bus(bus).build();
    TieredCacheStore there = TieredCacheStore.builder().l2(l2).bus(bus).build();
    try (Cache cache = Cache.builder(here).build(); Cache other = Cache.builder(there).build()) {
      other.put("users", List.of("ann"), Duration.ofMinutes(5));
      Object first = cache.get("users", List.class);
      assertThat(cache.get("users", List.class)).isSameAs(first).isEqualTo(List.of("ann"));
      assertThat(here.tierStatistics().l1Hits()).isEqualTo(1);

      other.put("users", List.of("ann", "bob"), Duration.ofMinutes(5));
      assertThat(cache.get("users", List.class)).isEqualTo(List.of("ann", "bob"));

      here.put("raw", "not json".getBytes(UTF_8), CacheStore.NEVER);
      assertThat(cache.get("raw", String.class)).as("unreadable in L1 is a miss").isNull();
      assertThat(cache.stats().errors()).isEqualTo(1);
    }
  }

  @Test
  void aDecoderFailureIsNotRemembered() {
    MemoryCacheStore store = l1(true);
    store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
    ValueDecoder failing = (stored, type) -> {
      throw new DecodingException("no", null);
    };
    assertThatThrownBy(() -> store.getDecoded("k", String.class, failing))
        .isInstanceOf(DecodingException.class);
    assertThat(store.getDecoded("k", String.class, counting)).isEqualTo("v");
  }
}
