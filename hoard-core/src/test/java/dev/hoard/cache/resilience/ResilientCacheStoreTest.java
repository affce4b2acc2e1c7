package dev.hoard.cache.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResilientCacheStoreTest {

  private static final Duration COOL_DOWN = Duration.ofSeconds(5);
  private static final CircuitBreakerSettings SETTINGS =
      CircuitBreakerSettings.defaults().consecutiveFailures(3).coolDown(COOL_DOWN);

  private final ManualClock clock = new ManualClock();
  private final BreakableStore primary =
      new BreakableStore(MemoryCacheStore.builder().clock(clock).copyValues().build());
  private Cache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  private Cache cache(FailureMode mode) {
    cache = Cache.builder(store(mode)).build();
    return cache;
  }

  /** Trials run inline, so that advancing the clock past the cool-down is all a test needs. */
  private ResilientCacheStore store(FailureMode mode) {
    return ResilientCacheStore.builder(primary).mode(mode).circuitBreaker(SETTINGS)
        .trialExecutor(Runnable::run).build();
  }

  // ---- strict

  @Test
  void strictModeReportsFailuresAsCacheExceptionsThenFailsFast() {
    Cache cache = cache(FailureMode.STRICT);
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> cache.get("k"))
          .isInstanceOf(CacheException.class).hasMessageContaining("test store is down");
    }
    int reached = primary.calls();
    assertThatThrownBy(() -> cache.put("k", "v"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("circuit breaker open")
        .hasMessageContaining("breakable memory");
    assertThat(primary.calls()).as("an open breaker keeps calls away").isEqualTo(reached);
  }

  @Test
  void strictModeWrapsOtherStoreFailuresInCacheException() {
    CacheStore throwing = new BreakableStore(primary) {
      @Override
      public Object get(String key) {
        throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
      }
    };
    ResilientCacheStore store = ResilientCacheStore.builder(throwing)
        .mode(FailureMode.STRICT).build();
    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("failed on get")
        .hasRootCauseMessage("disk gone");
  }

  // ---- fail-open

  @Test
  void failOpenReadsMissWritesAreDroppedAndBothCountAsErrors() {
    Cache cache = cache(FailureMode.FAIL_OPEN);
    cache.put("kept", "before");
    primary.breakDown();

    assertThat(cache.get("kept", String.class)).isNull();
    cache.put("k", "v");
    assertThat(cache.putIfAbsent("k2", "v", Duration.ofMinutes(1))).isFalse();
    assertThat(cache.delete("kept")).isFalse();
    assertThat(cache.contains("kept")).isFalse();
    assertThat(cache.ttl("kept")).isEmpty();
    assertThat(cache.touch("kept", Duration.ofMinutes(1))).isFalse();
    assertThat(cache.increment("hits", 5, Duration.ofMinutes(1))).isEqualTo(5);
    assertThat(cache.getAll(List.of("a", "b"), String.class)).isEmpty();
    try (Stream<String> keys = cache.keys("*")) {
      assertThat(keys).isEmpty();
    }

    assertThat(cache.stats().errors()).isEqualTo(10);
    assertThat(cache.stats().misses()).isEqualTo(3);
    assertThat(cache.stats().puts()).as("only the write that happened").isEqualTo(1);
    assertThat(cache.stats().droppedWrites()).isEqualTo(1);
    primary.repair();
    clock.advance(COOL_DOWN);
    assertThat(cache.get("kept", String.class)).as("the delete was replayed").isNull();
    assertThat(cache.get("k", String.class)).as("the dropped put never happened").isNull();
  }

  @Test
  void failOpenRememberStillReturnsWhatTheLoaderLoaded() {
    Cache cache = cache(FailureMode.FAIL_OPEN);
    primary.breakDown();
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      assertThat(cache.remember("user:1", String.class, Duration.ofMinutes(1),
          () -> "loaded " + loads.incrementAndGet())).isEqualTo("loaded " + (i + 1));
    }
    assertThat(cache.stats().loadSuccesses()).isEqualTo(5);
    assertThat(cache.stats().errors()).isPositive();
  }

  @Test
  void failOpenTaggedWritesNeitherHangNorThrow() {
    Cache cache = cache(FailureMode.FAIL_OPEN);
    primary.breakDown();
    Cache tagged = cache.tagged("users");
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      tagged.put("u1", "alice");
      assertThat(tagged.get("u1", String.class)).isNull();
      tagged.invalidateTags("users");
    });
  }

  @Test
  void failOpenRecoversAfterTheCoolDownWithOneTrialCall() {
    ResilientCacheStore store = store(FailureMode.FAIL_OPEN);
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      store.get("k");
    }
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
    int reached = primary.calls();
    for (int i = 0; i < 100; i++) {
      store.put("k", new byte[] {1}, CacheStore.NEVER);
    }
    assertThat(primary.calls()).isEqualTo(reached);

    primary.repair();
    clock.advance(COOL_DOWN.minusMillis(1));
    store.put("k", new byte[] {2}, CacheStore.NEVER);
    assertThat(primary.calls()).as("still cooling down").isEqualTo(reached);
    clock.advance(Duration.ofMillis(1));
    store.put("k", new byte[] {3}, CacheStore.NEVER);
    assertThat(store.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat((byte[]) primary.delegate().get("k")).containsExactly(3);
    assertThat(store.statistics().errors()).as("3 failures + 101 dropped puts").isEqualTo(104);
    assertThat(store.statistics().droppedWrites()).isEqualTo(101);
  }

  @Test
  void aKeyScanThatFailsPartWayEndsEarlyInFailOpenMode() {
    ResilientCacheStore store = store(FailureMode.FAIL_OPEN);
    for (int i = 0; i < 10; i++) {
      store.put("k" + i, new byte[] {1}, CacheStore.NEVER);
    }
    List<String> seen;
    try (Stream<String> keys = store.keys(Glob.of("k*"))) {
      seen = keys.peek(key -> primary.breakDown()).collect(Collectors.toList());
    }
    assertThat(seen).hasSize(1);
    assertThat(store.statistics().errors()).isEqualTo(1);
  }

  @Test
  void aKeyScanThatFailsPartWayThrowsInStrictMode() {
    ResilientCacheStore store = store(FailureMode.STRICT);
    store.put("a", new byte[] {1}, CacheStore.NEVER);
    store.put("b", new byte[] {1}, CacheStore.NEVER);
    try (Stream<String> keys = store.keys(Glob.of("*"))) {
      assertThatThrownBy(() -> keys.peek(key -> primary.breakDown()).count())
          .isInstanceOf(CacheException.class);
    }
  }

  @Test
  void mistakesOfTheCallerPassThroughAndNeverOpenTheBreaker() {
    ResilientCacheStore store = store(FailureMode.FAIL_OPEN);
    store.put("text", "abc".getBytes(), CacheStore.NEVER);
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> store.increment("text", 1, CacheStore.NEVER))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(store.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(store.statistics().errors()).isZero();
  }

  // ---- fallback

  @Test
  void fallbackServesWhileOpenAndTheOutageDataIsDroppedOnRecovery() {
    MemoryCacheStore fallback = MemoryCacheStore.builder().clock(clock).copyValues().build();
    cache = Cache.builder(ResilientCacheStore.builder(primary).fallback(fallback)
        .circuitBreaker(SETTINGS).trialExecutor(Runnable::run).build()).build();
    cache.put("k", "from primary");
    primary.breakDown();

    cache.put("k", "during outage");
    assertThat(cache.get("k", String.class))
        .as("the failed put was written to the fallback").isEqualTo("during outage");
    cache.get("x");
    cache.get("y");
    int reached = primary.calls();
    cache.put("k2", "v2");
    assertThat(cache.get("k2", String.class)).isEqualTo("v2");
    assertThat(primary.calls()).as("open: the fallback answers alone").isEqualTo(reached);
    assertThat(fallback.get("k2")).isNotNull();
    assertThat(cache.stats().errors()).as("only the failed primary calls").isEqualTo(3);

    primary.repair();
    clock.advance(COOL_DOWN);
    assertThat(cache.get("k", String.class)).as("back on the primary")
        .isEqualTo("from primary");
    assertThat(fallback.get("k2")).as("the fallback is emptied on recovery").isNull();
    cache.put("k", "after");
    assertThat(primary.delegate().get("k")).isNotNull();
    assertThat(cache.get("k", String.class)).isEqualTo("after");
  }

  @Test
  void fallbackModeWithoutAStoreUsesMemoryOfTheRightForm() {
    ResilientCacheStore store = store(FailureMode.FALLBACK);
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      store.get("n");
    }
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
    store.increment("n", 2, CacheStore.NEVER);
    store.increment("n", 2, CacheStore.NEVER);
    assertThat(new String((byte[]) store.get("n"))).isEqualTo("4");
    assertThat(store.description()).contains("fallback to memory");
  }

  @Test
  void aFallbackThatKeepsValuesInAnotherFormIsRefused() {
    MemoryCacheStore byReference = MemoryCacheStore.builder().clock(clock).build();
    assertThatThrownBy(() -> ResilientCacheStore.builder(primary).fallback(byReference).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("copyValues");
    assertThatThrownBy(() -> ResilientCacheStore.builder(primary)
        .fallback(MemoryCacheStore.builder().copyValues().build())
        .mode(FailureMode.STRICT).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only used in FALLBACK mode");
  }

  @Test
  void theBuilderWrapsOnceAndRefusesConflictingSettings() {
    ResilientCacheStore store = store(FailureMode.STRICT);
    cache = Cache.builder(store).build();
    assertThat(cache.toString()).containsOnlyOnce("(strict)");
    assertThatThrownBy(() -> Cache.builder(store).failureMode(FailureMode.FAIL_OPEN).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already has its failure behaviour");
  }

  @Test
  void statisticsWhileOpenReuseTheLastAnswerPlusAbsorbedErrors() {
    ResilientCacheStore store = store(FailureMode.FAIL_OPEN);
    store.put("a", new byte[] {1}, CacheStore.NEVER);
    assertThat(store.statistics().size()).isEqualTo(1);
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      store.get("a");
    }
    int reached = primary.calls();
    assertThat(store.statistics().size()).isEqualTo(1);
    assertThat(store.statistics().errors()).isEqualTo(3);
    assertThat(primary.calls()).isEqualTo(reached);
    assertThat(store.getAll(List.of("a"))).isEqualTo(Map.of());
  }
}
