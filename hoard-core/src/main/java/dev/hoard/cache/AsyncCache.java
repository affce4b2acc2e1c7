package dev.hoard.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The asynchronous twin of {@link Cache}: the same calls with the same rules, each returning a
 * {@link CompletableFuture} that completes with the result or with the exception the synchronous
 * call would have thrown. Argument errors are thrown at once, not through the future.
 *
 * <p>Calls reach the store's own non-blocking client (Redis, Memcached; the memory store answers
 * on the caller's thread), so many calls in flight need no thread each; the failure behaviour
 * (fail-open, fallback, strict, the circuit breaker) is the synchronous one. Stores without an
 * asynchronous client (SQL, files), tagged views, key scans and {@code remember} with a blocking
 * loader run on the cache's {@link CacheBuilder#executor executor}.
 *
 * <p>Futures complete on the store client's I/O thread: chain blocking work with the {@code
 * ...Async} forms of {@link CompletableFuture} and an executor of your own, never on that thread.
 */
public interface AsyncCache {

  /** The synchronous cache this is a view of. */
  Cache synchronous();

  /** See {@link Cache#get(String)}. */
  CompletableFuture<Object> get(String key);

  /** See {@link Cache#get(String, Class)}. */
  <T> CompletableFuture<T> get(String key, Class<T> type);

  /** See {@link Cache#get(String, TypeRef)}. */
  <T> CompletableFuture<T> get(String key, TypeRef<T> type);

  /** See {@link Cache#getOrDefault}. */
  <T> CompletableFuture<T> getOrDefault(String key, Class<T> type, T defaultValue);

  /** See {@link Cache#contains}. */
  CompletableFuture<Boolean> contains(String key);

  /** See {@link Cache#put(String, Object)}. */
  CompletableFuture<Void> put(String key, Object value);

  /** See {@link Cache#put(String, Object, Duration)}. */
  CompletableFuture<Void> put(String key, Object value, Duration ttl);

  /** See {@link Cache#putIfAbsent}. */
  CompletableFuture<Boolean> putIfAbsent(String key, Object value, Duration ttl);

  /**
   * See {@link Cache#remember(String, Class, Duration, Supplier)}; the blocking loader runs on the
   * executor. For a loader that is itself asynchronous use {@link #rememberAsync}.
   */
  <T> CompletableFuture<T> remember(
      String key, Class<T> type, Duration ttl, Supplier<? extends T> loader);

  /** See {@link Cache#remember(String, TypeRef, Duration, Supplier)}. */
  <T> CompletableFuture<T> remember(
      String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader);

  /**
   * Cache-aside with an asynchronous loader: a hit completes with the cached value; on a miss
   * the loader's stage is awaited without blocking and its value stored. Concurrent callers for
   * one key in this process — asynchronous or not — share one load; a failed load is not cached
   * and fails every caller that shared it; a null result is returned but not cached.
   */
  <T> CompletableFuture<T> rememberAsync(
      String key, Class<T> type, Duration ttl, Supplier<? extends CompletionStage<? extends T>> loader);

  /** {@link #rememberAsync(String, Class, Duration, Supplier)} for a generic type. */
  <T> CompletableFuture<T> rememberAsync(
      String key, TypeRef<T> type, Duration ttl,
      Supplier<? extends CompletionStage<? extends T>> loader);

  /** See {@link Cache#delete}. */
  CompletableFuture<Boolean> delete(String key);

  /** See {@link Cache#getAll}. */
  <T> CompletableFuture<Map<String, T>> getAll(Collection<String> keys, Class<T> type);

  /** See {@link Cache#putAll}. */
  CompletableFuture<Void> putAll(Map<String, ?> entries, Duration ttl);

  /** See {@link Cache#deleteAll}. */
  CompletableFuture<Long> deleteAll(Collection<String> keys);

  /** See {@link Cache#increment(String, long, Duration)}. */
  CompletableFuture<Long> increment(String key, long delta, Duration ttlIfCreated);

  /** See {@link Cache#increment(String)}. */
  default CompletableFuture<Long> increment(String key) {
    return increment(key, 1, Cache.FOREVER);
  }

  /** See {@link Cache#decrement}. */
  default CompletableFuture<Long> decrement(String key, long delta, Duration ttlIfCreated) {
    return increment(key, Math.negateExact(delta), ttlIfCreated);
  }

  /** See {@link Cache#touch}. */
  CompletableFuture<Boolean> touch(String key, Duration ttl);

  /** See {@link Cache#ttl}. */
  CompletableFuture<Optional<Duration>> ttl(String key);

  /** See {@link Cache#keys}; the keys are collected into a list. */
  CompletableFuture<List<String>> keys(String glob);

  /** See {@link Cache#deleteMatching}. */
  CompletableFuture<Long> deleteMatching(String glob);

  /** See {@link Cache#clear}. */
  CompletableFuture<Void> clear();

  /** See {@link Cache#invalidateTags}. */
  CompletableFuture<Void> invalidateTags(String... tags);

  /** See {@link Cache#scoped}: the asynchronous view of the scoped cache. */
  AsyncCache scoped(String kind, String id);

  /** See {@link Cache#tagged}: the asynchronous view of the tagged cache. */
  AsyncCache tagged(String... tags);

  /** See {@link Cache#stats}: shared with the synchronous cache. */
  CacheStats stats();

  /** See {@link Cache#name}. */
  String name();
}
