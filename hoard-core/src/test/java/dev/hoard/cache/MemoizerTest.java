package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.memory.MemoryCacheStore;
import java.time.Duration;
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
  void templatesMustFitTheCall() {
    assertThatThrownBy(() -> memo.function("no-placeholder", String.class, x -> "v"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 1");
    assertThatThrownBy(() -> KeyTemplate.of("user:{id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
    assertThatThrownBy(() -> KeyTemplate.of("user:{id}").expand())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 argument");
  }
}
