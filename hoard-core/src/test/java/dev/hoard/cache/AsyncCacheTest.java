package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every {@link AsyncCache} call against the synchronous cache it mirrors, on every local store. */
class AsyncCacheTest {

  private static final Duration HOUR = Duration.ofHours(1);

  private static <T> T done(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @MethodSource("dev.hoard.cache.CacheTest#stores")
  void everyCallHasItsAsynchronousTwin(Function<ManualClock, CacheStore> store) throws Exception {
    ManualClock clock = new ManualClock();
    try (Cache cache = Cache.builder(store.apply(clock)).defaultTtl(HOUR).build()) {
      AsyncCache async = cache.async();
      assertThat(async.synchronous()).isSameAs(cache);
      assertThat(async.name()).isEqualTo(cache.name());
      done(async.put("k", "v"));
      assertThat(done(async.get("k"))).isEqualTo("v");
      assertThat(done(async.get("k", new TypeRef<String>() {}))).isEqualTo("v");
      assertThat(done(async.getOrDefault("absent", String.class, "d"))).isEqualTo("d");
      assertThat(done(async.contains("k"))).isTrue();
      assertThat(done(async.contains("absent"))).isFalse();
      assertThat(done(async.putIfAbsent("k", "w", HOUR))).isFalse();
      done(async.putAll(Map.of("a", 1, "b", 2), HOUR));
      assertThat(done(async.getAll(List.of("a", "b", "c"), Integer.class)))
          .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
      assertThat(done(async.increment("n"))).isEqualTo(1);
      assertThat(done(async.decrement("n", 3, HOUR))).isEqualTo(-2);
      assertThat(done(async.touch("k", Duration.ofMinutes(5)))).isTrue();
      assertThat(done(async.ttl("k"))).contains(Duration.ofMinutes(5));
      assertThat(done(async.ttl("absent"))).isEmpty();
      assertThat(done(async.deleteAll(List.of("a", "b")))).isEqualTo(2);
      AsyncCache tenant = async.scoped("tenant", "7");
      done(tenant.put("k", "tenant's"));
      assertThat(done(tenant.get("k", String.class))).isEqualTo("tenant's");
      assertThat(done(async.get("k", String.class))).isEqualTo("v");
      AsyncCache tagged = async.tagged("users");
      done(tagged.put("u", "ada"));
      assertThat(done(tagged.get("u", String.class))).isEqualTo("ada");
      done(async.invalidateTags("users"));
      assertThat(done(tagged.get("u", String.class))).isNull();
      assertThat(done(async.keys("*"))).contains("k", "n");
      assertThat(done(async.deleteMatching("n"))).isEqualTo(1);
      done(async.clear());
      assertThat(done(async.get("k"))).isNull();
      assertThat(async.stats().hits()).isGreaterThan(0);
    }
  }

  @Test
  void rememberAsyncSharesOneLoadDoesNotCacheFailuresOrNullsAndCountsLoads() throws Exception {
    try (Cache cache = Cache.builder(MemoryCacheStore.builder().build()).build()) {
      AsyncCache async = cache.async();
      AtomicInteger loads = new AtomicInteger();
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> first = async.rememberAsync("k", String.class, HOUR, () -> {
        loads.incrementAndGet();
        return gate;
      });
      CompletableFuture<String> second = async.rememberAsync("k", String.class, HOUR, () -> {
        loads.incrementAndGet();
        return CompletableFuture.completedFuture("second");
      });
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      gate.complete("loaded");
      assertThat(done(first)).isEqualTo("loaded");
      assertThat(done(second)).isEqualTo("loaded");
      assertThat(loads).hasValue(1);
      assertThat(cache.get("k", String.class)).isEqualTo("loaded");
      assertThat(cache.stats().loadSuccesses()).isEqualTo(1);

      CompletableFuture<String> failing = async.rememberAsync("f", String.class, HOUR,
          () -> CompletableFuture.failedFuture(new IllegalStateException("origin down")));
      assertThatThrownBy(() -> done(failing)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class).hasMessage("origin down");
      assertThat(cache.contains("f")).isFalse();
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
      assertThat(done(async.rememberAsync("f", String.class, HOUR,
          () -> CompletableFuture.completedFuture("recovered")))).isEqualTo("recovered");

      assertThat(done(async.rememberAsync("nothing", String.class, HOUR,
          () -> CompletableFuture.completedFuture(null)))).isNull();
      assertThat(cache.contains("nothing")).isFalse();
      assertThatThrownBy(() -> async.rememberAsync("k", String.class, Duration.ZERO,
          () -> CompletableFuture.completedFuture("x")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    }
  }

  @Test
  void aSynchronousRememberWaitsForTheAsynchronousLoadOfTheSameKey() throws Exception {
    try (Cache cache = Cache.builder(MemoryCacheStore.builder().build()).build()) {
      CompletableFuture<String> gate = new CompletableFuture<>();
      CompletableFuture<String> async =
          cache.async().rememberAsync("k", String.class, HOUR, () -> gate);
      CompletableFuture<String> sync = CompletableFuture.supplyAsync(
          () -> cache.remember("k", String.class, HOUR, () -> "sync loader ran"));
      gate.complete("async loader ran");
      assertThat(done(async)).isEqualTo("async loader ran");
      assertThat(done(sync)).isEqualTo("async loader ran");
    }
  }

  @Test
  void failOpenAsyncCallsMissAndDropWritesLikeTheSynchronousOnes() throws Exception {
    ManualClock clock = new ManualClock();
    BreakableStore primary =
        new BreakableStore(MemoryCacheStore.builder().clock(clock).copyValues().build());
    try (Cache cache = Cache.builder(primary).failureMode(FailureMode.FAIL_OPEN).build()) {
      AsyncCache async = cache.async();
      done(async.put("k", "v", HOUR));
      primary.breakDown();
      assertThat(done(async.get("k", String.class))).isNull();
      done(async.put("k", "w", HOUR));
      assertThat(cache.stats().droppedWrites()).isEqualTo(1);
      assertThat(done(async.rememberAsync("r", String.class, HOUR,
          () -> CompletableFuture.completedFuture("from the origin")))).isEqualTo("from the origin");
    }
  }
}
