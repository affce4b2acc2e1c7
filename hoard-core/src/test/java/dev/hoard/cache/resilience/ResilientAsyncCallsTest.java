package dev.hoard.cache.resilience;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The asynchronous calls follow the same failure rules as the synchronous ones. */
class ResilientAsyncCallsTest {

  private static final CircuitBreakerSettings SETTINGS =
      CircuitBreakerSettings.defaults().consecutiveFailures(3).coolDown(Duration.ofSeconds(5));

  private final ManualClock clock = new ManualClock();
  private final BreakableStore primary =
      new BreakableStore(MemoryCacheStore.builder().clock(clock).copyValues().build());

  private ResilientCacheStore store(FailureMode mode) {
    return ResilientCacheStore.builder(primary).mode(mode).circuitBreaker(SETTINGS)
        .trialExecutor(Runnable::run).build();
  }

  private static <T> T done(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private long inAnHour() {
    return clock.millis() + Duration.ofHours(1).toMillis();
  }

  @Test
  void failOpenReadsMissWritesAreCountedAsDroppedAndTheBreakerKeepsCallsAway() throws Exception {
    ResilientCacheStore store = store(FailureMode.FAIL_OPEN);
    done(store.putAsync("k", "v".getBytes(UTF_8), inAnHour()));
    assertThat(new String((byte[]) done(store.getAsync("k")), UTF_8)).isEqualTo("v");
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      assertThat(done(store.getAsync("k"))).isNull();
    }
    int reached = primary.calls();
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
    done(store.putAsync("k", "w".getBytes(UTF_8), inAnHour()));
    assertThat(done(store.incrementAsync("n", 4, inAnHour()))).isEqualTo(4);
    assertThat(primary.calls()).as("an open breaker keeps calls away").isEqualTo(reached);
    assertThat(store.statistics().droppedWrites()).isEqualTo(1);
    assertThat(done(store.deleteAsync("k"))).isFalse();
    assertThat(store.pendingInvalidations()).as("the delete waits for replay").isEqualTo(1);
    primary.repair();
    clock.advance(Duration.ofSeconds(6));
    store.get("trigger a trial");
    assertThat(done(store.getAsync("k"))).as("the delete was replayed").isNull();
  }

  @Test
  void strictModeFailsTheStageWithACacheException() {
    ResilientCacheStore store = store(FailureMode.STRICT);
    primary.breakDown();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> done(store.getAsync("k")))
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(CacheException.class).hasMessageContaining("test store is down");
    }
    assertThatThrownBy(() -> done(store.deleteAllAsync(List.of("a", "b"))))
        .cause().isInstanceOf(CacheException.class).hasMessageContaining("circuit breaker open");
  }

  @Test
  void fallbackModeServesFromTheFallbackStore() throws Exception {
    CacheStore fallback = MemoryCacheStore.builder().clock(clock).copyValues().build();
    ResilientCacheStore store = ResilientCacheStore.builder(primary).mode(FailureMode.FALLBACK)
        .fallback(fallback).circuitBreaker(SETTINGS).trialExecutor(Runnable::run).build();
    primary.breakDown();
    done(store.putAsync("k", "fallen".getBytes(UTF_8), inAnHour()));
    assertThat(new String((byte[]) done(store.getAsync("k")), UTF_8)).isEqualTo("fallen");
    assertThat(new String((byte[]) fallback.get("k"), UTF_8)).isEqualTo("fallen");
  }
}
