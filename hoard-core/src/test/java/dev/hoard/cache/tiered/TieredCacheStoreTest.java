package dev.hoard.cache.tiered;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.Invalidation;
import dev.hoard.cache.spi.InvalidationBus;
import dev.hoard.cache.spi.ValueWithExpiry;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two near caches A and B over one shared L2 (a memory store standing in for Redis) and one bus,
 * as two processes would have.
 */
class TieredCacheStoreTest {

  private static final Duration L1_MAX_TTL = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final MemoryCacheStore sharedL2 =
      MemoryCacheStore.builder().clock(clock).copyValues().build();
  private final LocalInvalidationBus bus = new LocalInvalidationBus();
  private final TieredCacheStore a = tiered(sharedL2);
  private final TieredCacheStore b = tiered(sharedL2);

  private TieredCacheStore tiered(CacheStore l2) {
    return TieredCacheStore.builder().l2(l2).bus(bus).l1MaxTtl(L1_MAX_TTL).build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String text(Object stored) {
    return stored == null ? null : new String((byte[]) stored, UTF_8);
  }

  private long in(Duration ttl) {
    return clock.millis() + ttl.toMillis();
  }

  /** Reads through B and checks the answer came from B's L1. */
  private String readFromL1(TieredCacheStore store, String key) {
    long hits = store.tierStatistics().l1Hits();
    String value = text(store.get(key));
    assertThat(store.tierStatistics().l1Hits()).as("served from L1").isEqualTo(hits + 1);
    return value;
  }

  @Test
  void aWriteThatFailedButWasAppliedIsAnnouncedOnceL2AnswersAgain() {
    // A server that applies the write but answers too late, then does not answer for a while.
    BreakableStore frozen = new BreakableStore(sharedL2) {
      @Override
      public void put(String key, Object value, long expiresAt) {
        sharedL2.put(key, value, expiresAt);
        throw new CacheException("put '" + key + "' timed out");
      }
    };
    TieredCacheStore writer = tiered(frozen);
    sharedL2.put("k", bytes("v1"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v1");
    frozen.breakDown();

    assertThatThrownBy(() -> writer.put("k", bytes("v2"), in(Duration.ofHours(1))))
        .isInstanceOf(CacheException.class);
    assertThat(readFromL1(b, "k")).as("nothing is announced while L2 does not answer")
        .isEqualTo("v1");

    frozen.repair();
    await().atMost(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(text(b.get("k"))).isEqualTo("v2"));
  }

  @Test
  void aWriteInOneProcessRemovesTheKeyFromTheOthersL1() {
    a.put("k", bytes("v1"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v1");
    assertThat(readFromL1(b, "k")).isEqualTo("v1");

    a.put("k", bytes("v2"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v2");
    assertThat(b.tierStatistics().invalidationsReceived()).as("one message per put").isEqualTo(2);

    a.delete("k");
    assertThat(b.get("k")).isNull();
  }

  @Test
  void countersBatchesPatternsAndClearsInvalidateTheOtherL1Too() {
    a.increment("n", 1, CacheStore.NEVER);
    assertThat(text(b.get("n"))).isEqualTo("1");
    a.increment("n", 1, CacheStore.NEVER);
    assertThat(text(b.get("n"))).isEqualTo("2");

    a.putAll(Map.of("x", bytes("1"), "y", bytes("1")), CacheStore.NEVER);
    b.getAll(List.of("x", "y"));
    assertThat(readFromL1(b, "x")).isEqualTo("1");
    a.putAll(Map.of("x", bytes("2"), "y", bytes("2")), CacheStore.NEVER);
    assertThat(b.getAll(List.of("x", "y")).values()).extracting(v -> text(v))
        .containsOnly("2");

    b.get("x");
    a.deleteMatching(Glob.of("x*"));
    assertThat(b.get("x")).isNull();
    assertThat(readFromL1(b, "y")).isEqualTo("2");

    long flushes = b.tierStatistics().l1Flushes();
    a.clear();
    assertThat(b.get("y")).isNull();
    assertThat(b.tierStatistics().l1Flushes()).isEqualTo(flushes + 1);
  }

  @Test
  void aProcessKeepsItsOwnFreshCopyWhenItsOwnMessageComesBack() {
    a.put("k", bytes("mine"), in(Duration.ofHours(1)));
    // Changed behind A's back: only a copy kept in A's L1 can still say "mine".
    sharedL2.put("k", bytes("elsewhere"), in(Duration.ofHours(1)));
    assertThat(readFromL1(a, "k")).isEqualTo("mine");
    assertThat(a.tierStatistics().invalidationsReceived()).isZero();
  }

  @Test
  void anL1CopyNeverOutlivesTheMaximumTtlEvenWithoutAMessage() {
    a.put("k", bytes("v1"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v1");
    sharedL2.put("k", bytes("v2"), in(Duration.ofHours(1)));
    clock.advance(L1_MAX_TTL.minusMillis(1));
    assertThat(readFromL1(b, "k")).as("stale within the bound").isEqualTo("v1");
    clock.advance(Duration.ofMillis(1));
    assertThat(text(b.get("k"))).isEqualTo("v2");
  }

  @Test
  void anL1CopyNeverOutlivesItsL2Entry() {
    a.put("k", bytes("v"), in(Duration.ofSeconds(2)));
    assertThat(text(b.get("k"))).isEqualTo("v");
    clock.advance(Duration.ofMillis(1_999));
    assertThat(readFromL1(b, "k")).isEqualTo("v");
    clock.advance(Duration.ofMillis(1));
    assertThat(b.get("k")).isNull();
    assertThat(a.get("k")).isNull();
  }

  @Test
  void whileTheBusIsDownL1IsEmptiedAndBypassedAndAfterwardsEmptiedAgain() {
    a.put("k", bytes("v1"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v1");

    bus.disconnect();
    long received = b.tierStatistics().invalidationsReceived();
    sharedL2.put("k", bytes("v2"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).as("no stale copy while disconnected").isEqualTo("v2");
    assertThat(text(a.get("k"))).isEqualTo("v2");
    a.put("k", bytes("v3"), in(Duration.ofHours(1)));
    assertThat(b.tierStatistics().invalidationsReceived()).as("that message was lost")
        .isEqualTo(received);
    long hitsWhileDown = b.tierStatistics().l1Hits();
    assertThat(text(b.get("k"))).isEqualTo("v3");
    assertThat(b.tierStatistics().l1Hits()).isEqualTo(hitsWhileDown);

    bus.reconnect();
    assertThat(text(b.get("k"))).isEqualTo("v3");
    assertThat(readFromL1(b, "k")).as("L1 in use again").isEqualTo("v3");
    a.put("k", bytes("v4"), in(Duration.ofHours(1)));
    assertThat(text(b.get("k"))).isEqualTo("v4");
    assertThat(b.tierStatistics().l1Flushes()).isEqualTo(2);
  }

  @Test
  void aReconnectAloneFlushesL1ForBusesThatNoticeTheLossLate() {
    AtomicReference<InvalidationBus.Listener> listener = new AtomicReference<>();
    InvalidationBus lateNoticing = new InvalidationBus() {
      @Override
      public void publish(Invalidation invalidation) {}

      @Override
      public Subscription subscribe(Listener subscriber) {
        listener.set(subscriber);
        return () -> listener.set(null);
      }

      @Override
      public boolean isConnected() {
        return true;
      }

      @Override
      public void close() {}
    };
    TieredCacheStore c = TieredCacheStore.builder().l2(sharedL2).bus(lateNoticing).build();
    sharedL2.put("k", bytes("v1"), CacheStore.NEVER);
    assertThat(text(c.get("k"))).isEqualTo("v1");
    sharedL2.put("k", bytes("v2"), CacheStore.NEVER);
    listener.get().reconnected();
    assertThat(text(c.get("k"))).isEqualTo("v2");
    c.close();
    assertThat(listener.get()).as("closing ends the subscription").isNull();
  }

  @Test
  void aBusThatIsDownAtTheStartKeepsL1OutOfUse() {
    bus.disconnect();
    TieredCacheStore c = tiered(sharedL2);
    c.put("k", bytes("v1"), CacheStore.NEVER);
    sharedL2.put("k", bytes("v2"), CacheStore.NEVER);
    assertThat(text(c.get("k"))).isEqualTo("v2");
  }

  /** An L2 that lets the test act between the read of an entry and its copy into L1. */
  private TieredCacheStore readerWithHook(AtomicReference<Runnable> afterRead) {
    CacheStore hooked = new BreakableStore(sharedL2) {
      @Override
      public ValueWithExpiry getWithExpiry(String key) {
        ValueWithExpiry entry = super.getWithExpiry(key);
        Runnable hook = afterRead.getAndSet(null);
        if (hook != null) {
          hook.run();
        }
        return entry;
      }
    };
    return tiered(hooked);
  }

  @Test
  void aRemoteDeleteDuringARead() {
    AtomicReference<Runnable> afterRead = new AtomicReference<>();
    TieredCacheStore reader = readerWithHook(afterRead);
    a.put("k", bytes("old"), CacheStore.NEVER);
    afterRead.set(() -> a.delete("k"));
    assertThat(text(reader.get("k"))).as("the read itself raced the delete").isEqualTo("old");
    assertThat(reader.get("k")).as("but the old value was not kept in L1").isNull();
  }

  @Test
  void aLocalWriteDuringARead() {
    AtomicReference<Runnable> afterRead = new AtomicReference<>();
    TieredCacheStore reader = readerWithHook(afterRead);
    a.put("k", bytes("old"), CacheStore.NEVER);
    afterRead.set(() -> reader.delete("k"));
    reader.get("k");
    assertThat(reader.get("k")).isNull();

    a.put("k", bytes("old"), CacheStore.NEVER);
    afterRead.set(() -> reader.put("k", bytes("new"), CacheStore.NEVER));
    reader.get("k");
    assertThat(text(reader.get("k"))).isEqualTo("new");
  }

  @Test
  void aCacheOnANearCacheWorksWithTypedValuesAndFailsOpenWhenL2Fails() {
    BreakableStore flakyL2 = new BreakableStore(sharedL2);
    try (Cache cache = Cache.builder(tiered(flakyL2)).failureMode(FailureMode.FAIL_OPEN).build();
        Cache other = Cache.builder(b).build()) {
      cache.put("user", Map.of("name", "alice"));
      assertThat(other.get("user", Map.class)).containsEntry("name", "alice");
      cache.put("user", Map.of("name", "bob"));
      assertThat(other.get("user", Map.class)).containsEntry("name", "bob");

      flakyL2.breakDown();
      assertThat(cache.get("absent")).isNull();
      cache.put("user", Map.of("name", "carol"));
      assertThat(cache.get("user", Map.class))
          .as("a failed write drops the local copy instead of keeping a maybe-old value")
          .isNull();
      assertThat(cache.stats().errors()).isPositive();
    }
  }

  @Test
  void bothTiersMustKeepBytes() {
    assertThatThrownBy(() -> TieredCacheStore.builder()
        .l2(MemoryCacheStore.builder().build()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keeps references");
    assertThatThrownBy(() -> TieredCacheStore.builder()
        .l1(MemoryCacheStore.builder().build()).l2(sharedL2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copyValues");
    assertThatThrownBy(() -> TieredCacheStore.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an L2");
    assertThatThrownBy(() -> TieredCacheStore.builder().l1MaxTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l1MaxTtl");
  }
}
