package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MemoizerTest {

  private final Cache cache = Cache.builder(MemoryCacheStore.builder().build()).build();
  private final Memoizer memo = Memoizer.over(cache, Duration.ofMinutes(5));
  private final AtomicInteger calls = new AtomicInteger();

  @Test
  void aMemoizedFunctionComputesOncePerArgument() {
    Function<Long, String> name = memo.function("user:{id}", String.class, id -> {
      calls.incrementAndGet();
      return "user-" + id;
    });
    assertThat(name.apply(1L)).isEqualTo("user-1");
    assertThat(name.apply(1L)).isEqualTo("user-1");
    assertThat(name.apply(2L)).isEqualTo("user-2");
    assertThat(calls).hasValue(2);
    assertThat(cache.get("user:1", String.class)).isEqualTo("user-1");
  }

  @Test
  void invalidationByTemplateAndGlobForgetsResults() {
    BiFunction<String, Integer, String> page = memo.biFunction("posts:{user}:{page}", String.class,
        (user, n) -> {
          calls.incrementAndGet();
          return user + "#" + n;
        });
    page.apply("ada", 1);
    page.apply("ada", 2);
    page.apply("bob", 1);
    assertThat(memo.invalidate("posts:{user}:{page}", "ada", 1)).isTrue();
    page.apply("ada", 1);
    assertThat(calls).hasValue(4);
    assertThat(memo.invalidateMatching("posts:ada:*")).isEqualTo(2);
    try (Stream<String> keys = memo.keys("posts:{user}:{page}")) {
      assertThat(keys).containsExactly("posts:bob:1");
    }
    assertThat(memo.invalidateAll("posts:{user}:{page}")).isEqualTo(1);
  }

  @Test
  void argumentsCannotCollideThroughSeparators() {
    BiFunction<String, String, String> joined =
        memo.biFunction("pair:{a}:{b}", String.class, (a, b) -> a + "|" + b);
    assertThat(joined.apply("x:y", "z")).isEqualTo("x:y|z");
    assertThat(joined.apply("x", "y:z")).isEqualTo("x|y:z");
  }

  @Test
  void invalidatingATemplateLeavesLongerTemplatesWithTheSameStartAlone() {
    Function<String, String> user = memo.function("user:{id}", String.class, id -> "u" + id);
    Function<String, String> posts =
        memo.function("user:{id}:posts", String.class, id -> "p" + id);
    for (String id : List.of("1", "2", "a:b", "100%")) {
      user.apply(id);
      posts.apply(id);
    }
    try (Stream<String> keys = memo.keys("user:{id}")) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2", "user:a%3Ab", "user:100%25");
    }
    assertThat(memo.invalidateAll("user:{id}")).isEqualTo(4);
    try (Stream<String> keys = memo.keys("user:{id}:posts")) {
      assertThat(keys).hasSize(4);
    }
    assertThat(KeyTemplate.of("user:{id}").matches("user:%zz")).isFalse();
    assertThat(KeyTemplate.of("a{x}b{y}c").matches("a1b2b3c")).isTrue();
  }

  @Test
  void aSupplierIsMemoizedUnderItsKey() {
    Supplier<String> config = memo.supplier("config", String.class, () -> {
      calls.incrementAndGet();
      return "loaded";
    });
    config.get();
    config.get();
    assertThat(calls).hasValue(1);
  }

  @Test
  void anInMemoryMemoizerIsBounded() {
    Memoizer bounded = Memoizer.inMemory(10, Duration.ofMinutes(1));
    Function<Integer, Integer> square = bounded.function("sq:{n}", Integer.class, n -> n * n);
    for (int i = 0; i < 1_000; i++) {
      assertThat(square.apply(i)).isEqualTo(i * i);
    }
    org.awaitility.Awaitility.await().until(() -> bounded.cache().stats().size() <= 10);
  }

  @Test
  void resultsExpireAfterTheTtlOnTheCachesClock() {
    ManualClock clock = new ManualClock();
    Memoizer timed = Memoizer.over(
        Cache.builder(MemoryCacheStore.builder().clock(clock).build()).build(),
        Duration.ofMinutes(5));
    Function<Integer, String> slow = timed.function("slow:{n}", String.class, n -> {
      calls.incrementAndGet();
      return "v" + n;
    });
    slow.apply(1);
    clock.advance(Duration.ofMinutes(4));
    slow.apply(1);
    assertThat(calls).as("within the TTL").hasValue(1);
    clock.advance(Duration.ofMinutes(2));
    assertThat(slow.apply(1)).isEqualTo("v1");
    assertThat(calls).as("after the TTL").hasValue(2);
  }

  @Test
  void failuresAndNullResultsAreNotKept() {
    Function<String, String> lookup = memo.function("lookup:{name}", String.class, name -> {
      calls.incrementAndGet();
      if (name.equals("broken")) {
        throw new IllegalStateException("backend down for " + name);
      }
      return name.equals("nobody") ? null : name.toUpperCase();
    });
    assertThatThrownBy(() -> lookup.apply("broken")).hasMessageContaining("backend down");
    assertThatThrownBy(() -> lookup.apply("broken")).hasMessageContaining("backend down");
    assertThat(lookup.apply("nobody")).isNull();
    assertThat(lookup.apply("nobody")).isNull();
    assertThat(calls).hasValue(4);
    assertThat(cache.contains("lookup:broken")).isFalse();
  }

  @Test
  void aZeroOrNegativeTtlIsRefused() {
    assertThatThrownBy(() -> Memoizer.over(cache, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> Memoizer.inMemory(10, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
  }

  @Test
  void templatesMustFitTheCall() {
    assertThatThrownBy(() -> memo.function("two:{a}:{b}", String.class, x -> "v"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 1");
    assertThatThrownBy(() -> KeyTemplate.of("user:{id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
    assertThatThrownBy(() -> KeyTemplate.of("user:{id}").expand())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 argument");
  }

  record Query(String text, int page, Map<String, Object> filters) {}

  @Test
  void aFunctionNameKeysResultsByItsArgumentsAsCanonicalJson() {
    BiFunction<String, Integer, String> search = memo.biFunction("search", String.class,
        (text, page) -> {
          calls.incrementAndGet();
          return text + "#" + page;
        });
    assertThat(search.apply("shoes", 2)).isEqualTo("shoes#2");
    assertThat(search.apply("shoes", 2)).isEqualTo("shoes#2");
    assertThat(search.apply("shoes:2", null)).isEqualTo("shoes:2#null");
    assertThat(calls).hasValue(2);
    assertThat(cache.get("search:[\"shoes\",2]", String.class)).isEqualTo("shoes#2");
    assertThat(cache.get("search:[\"shoes:2\",null]", String.class)).isEqualTo("shoes:2#null");
    assertThat(memo.invalidate("search", "shoes", 2)).isTrue();
    assertThat(cache.contains("search:[\"shoes\",2]")).isFalse();
  }

  @Test
  void argumentKeysAreStableForMapsInAnyOrderAndDistinctForDifferentArguments() {
    Function<Query, String> find = memo.function("find", String.class, query -> {
      calls.incrementAndGet();
      return query.text();
    });
    Map<String, Object> forward = new LinkedHashMap<>();
    forward.put("colour", "red");
    forward.put("size", 42);
    Map<String, Object> backward = new LinkedHashMap<>();
    backward.put("size", 42);
    backward.put("colour", "red");
    find.apply(new Query("boots", 1, forward));
    find.apply(new Query("boots", 1, backward));
    assertThat(calls).hasValue(1);
    // Property-based: random argument lists share a key exactly when they are equal.
    Random random = new Random(0xA11CEL);
    Map<String, List<Object>> argumentsByKey = new HashMap<>();
    KeyTemplate echo = KeyTemplate.of("echo");
    for (int i = 0; i < 5_000; i++) {
      List<Object> arguments = Arrays.asList(randomArgument(random), randomArgument(random));
      String key = Memoizer.keyOf(echo, arguments.toArray());
      List<Object> before = argumentsByKey.putIfAbsent(key, arguments);
      assertThat(before == null || before.equals(arguments))
          .as("key %s for %s and %s", key, before, arguments).isTrue();
      assertThat(Memoizer.keyOf(echo, arguments.toArray())).isEqualTo(key);
    }
    assertThat(argumentsByKey).hasSizeGreaterThan(100);
  }

  private static Object randomArgument(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> null;
      case 1 -> random.nextInt(4);
      case 2 -> String.valueOf(random.nextInt(4));
      case 3 -> List.of(random.nextInt(3), ":" + random.nextInt(2));
      default -> "a:" + (char) ('a' + random.nextInt(3)) + ",\"" + random.nextInt(2);
    };
  }

  @Test
  void longArgumentKeysAreHashedAndStillInvalidatedByName() {
    Function<String, Integer> length = memo.function("length", Integer.class, text -> {
      calls.incrementAndGet();
      return text.length();
    });
    String longText = "x".repeat(1_000);
    assertThat(length.apply(longText)).isEqualTo(1_000);
    assertThat(length.apply(longText)).isEqualTo(1_000);
    assertThat(calls).hasValue(1);
    try (Stream<String> keys = memo.keys("length")) {
      assertThat(keys.toList()).singleElement().satisfies(key -> {
        assertThat(key).startsWith("length:#").hasSizeLessThan(60);
      });
    }
    assertThat(memo.invalidateAll("length")).isEqualTo(1);
  }

  @Test
  void argumentsJacksonCannotWriteAreRefusedWithAMessage() {
    Function<Object, String> f = memo.function("f", String.class, x -> "v");
    assertThatThrownBy(() -> f.apply(new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key template");
  }

  @Test
  void unlessKeepsRejectedResultsOutOfTheCacheButReturnsThemToEveryWaiter() throws Exception {
    Memoizer keepingNonEmpty = memo.unless(result -> result instanceof List<?> list && list.isEmpty());
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<String, List> lookup = keepingNonEmpty.function("lookup", List.class, name -> {
      calls.incrementAndGet();
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return name.equals("none") ? List.of() : List.of(name);
    });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<List> first = pool.submit(() -> lookup.apply("none"));
      started.await();
      List<Future<List>> waiters = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        waiters.add(pool.submit(() -> lookup.apply("none")));
      }
      await().until(() -> cache.stats().misses() >= 4);
      release.countDown();
      assertThat(first.get()).isEmpty();
      for (Future<List> waiter : waiters) {
        assertThat(waiter.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls).hasValue(1);
    assertThat(cache.contains("lookup:[\"none\"]")).isFalse();
    lookup.apply("none");
    assertThat(calls).hasValue(2);
    assertThat(lookup.apply("ada")).containsExactly("ada");
    assertThat(lookup.apply("ada")).containsExactly("ada");
    assertThat(calls).hasValue(3);
  }

  @Test
  void asyncFunctionsShareOneComputationPerArgumentAndHonourUnless() throws Exception {
    CompletableFuture<String> gate = new CompletableFuture<>();
    Function<Long, CompletableFuture<String>> find =
        memo.asyncFunction("find", String.class, id -> {
          calls.incrementAndGet();
          return id == 0 ? CompletableFuture.completedFuture("") : gate.thenApply(v -> v + id);
        });
    CompletableFuture<String> first = find.apply(7L);
    CompletableFuture<String> second = find.apply(7L);
    gate.complete("user-");
    assertThat(first.get()).isEqualTo("user-7");
    assertThat(second.get()).isEqualTo("user-7");
    assertThat(calls).hasValue(1);
    assertThat(cache.get("find:[7]", String.class)).isEqualTo("user-7");
    Function<Long, CompletableFuture<String>> keepingNonEmpty = memo.unless(""::equals)
        .asyncFunction("findOrEmpty", String.class, id -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture("");
        });
    assertThat(keepingNonEmpty.apply(1L).get()).isEmpty();
    assertThat(keepingNonEmpty.apply(1L).get()).isEmpty();
    assertThat(calls).hasValue(3);
    assertThat(cache.contains("findOrEmpty:[1]")).isFalse();
  }
}
