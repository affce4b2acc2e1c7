package dev.hoard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Caches;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;

/** The Spring cache contract details, on memory and on a byte store (Redis). */
class HoardSpringCacheIT {

  private static final String REDIS =
      "redis://127.0.0.1:6379/0?prefix=hoard-spring-unit:" + UUID.randomUUID() + ":";

  private dev.hoard.cache.Cache memory = Caches.open("memory:");
  private dev.hoard.cache.Cache redis = Caches.open(REDIS);

  @AfterEach
  void close() {
    redis.clear();
    redis.close();
    memory.close();
  }

  @Test
  void aValueOfAClassOutsideTheAllowedPackagesIsAMissOnAByteStore() {
    Cache trusting = HoardCacheManager.builder(redis)
        .valuePackages(List.of("dev.hoard.spring.boot.autoconfigure")).build().getCache("c");
    Cache strict = HoardCacheManager.builder(redis).build().getCache("c");
    trusting.put("k", new Point(1, 2));

    assertThat(trusting.get("k", Point.class)).isEqualTo(new Point(1, 2));
    assertThat(strict.get("k")).isNull();
  }

  @Test
  void javaTypesComeBackAsThemselvesFromAByteStore() {
    Cache cache = HoardCacheManager.builder(redis).build().getCache("c");
    cache.put(1L, 42L);
    cache.put("list", List.of("a", "b"));

    assertThat(cache.get(1L, Long.class)).isEqualTo(42L);
    assertThat(cache.get("list").get()).isEqualTo(List.of("a", "b"));
  }

  @Test
  void nullsAreRefusedWhenNotAllowed() {
    Cache cache = HoardCacheManager.builder(memory).allowNullValues(false).build().getCache("c");

    assertThatThrownBy(() -> cache.put("k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hoard.cache.allow-null-values");
  }

  @Test
  void aCachedNullIsAHitWhenAllowed() {
    Cache cache = HoardCacheManager.builder(redis).build().getCache("c");
    cache.put("k", null);

    assertThat(cache.get("k")).isNotNull().extracting(Cache.ValueWrapper::get).isNull();
    assertThat(cache.get("absent")).isNull();
  }

  @Test
  void keysWithoutAStringFormOfTheirOwnAreRefused() {
    Cache cache = HoardCacheManager.builder(memory).build().getCache("c");

    assertThatThrownBy(() -> cache.get(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KeyGenerator");
  }

  @Test
  void aLoaderThatThrowsACheckedExceptionSurfacesAsValueRetrievalException() {
    Cache cache = HoardCacheManager.builder(memory).build().getCache("c");

    assertThatThrownBy(() -> cache.get("k", () -> {
      throw new IOException("disk on fire");
    })).isInstanceOf(Cache.ValueRetrievalException.class).hasRootCauseMessage("disk on fire");
    assertThat(cache.get("k")).isNull();
  }

  @Test
  void putIfAbsentKeepsAndReturnsTheExistingValue() {
    Cache cache = HoardCacheManager.builder(redis).build().getCache("c");

    assertThat(cache.putIfAbsent("k", "first")).isNull();
    assertThat(cache.putIfAbsent("k", "second").get()).isEqualTo("first");
    assertThat(cache.get("k", String.class)).isEqualTo("first");
  }

  @Test
  void concurrentAsyncMissesShareOneLoad() throws Exception {
    Cache cache = HoardCacheManager.builder(memory).build().getCache("c");
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> slow = new CompletableFuture<>();

    CompletableFuture<String> first = cache.retrieve("k", () -> {
      loads.incrementAndGet();
      return slow;
    });
    CompletableFuture<String> second = cache.retrieve("k", () -> {
      loads.incrementAndGet();
      return slow;
    });
    slow.complete("loaded");

    assertThat(first.get()).isEqualTo("loaded");
    assertThat(second.get()).isEqualTo("loaded");
    assertThat(loads).hasValue(1);
    assertThat(cache.get("k", String.class)).isEqualTo("loaded");
  }

  @Test
  void cachesOnOneStoreClearOnlyTheirOwnEntries() {
    HoardCacheManager manager = HoardCacheManager.builder(redis).build();
    manager.getCache("a").put("k", "in a");
    manager.getCache("b").put("k", "in b");

    manager.getCache("a").clear();

    assertThat(manager.getCache("a").get("k")).isNull();
    assertThat(manager.getCache("b").get("k", String.class)).isEqualTo("in b");
  }

  @Test
  void onlyDeclaredCachesExistWhenNamesAreFixed() {
    HoardCacheManager manager = HoardCacheManager.builder(memory)
        .cache("declared", null).fixedCacheNames().build();

    assertThat(manager.getCache("declared")).isNotNull();
    assertThat(manager.getCache("other")).isNull();
    assertThat(manager.getCacheNames()).containsExactly("declared");
  }

  /** A value of an application class. */
  record Point(int x, int y) {}
}
