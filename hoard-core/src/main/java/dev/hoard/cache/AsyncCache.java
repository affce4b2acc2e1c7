package dev.hoard.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The asynchronous twin of {@link Cache}: the same calls with the same rules, each returning a
 * {@link CompletableFuture} that completes with the result or with the exception the synchronous
 * call would have thrown. Argument errors are thrown at once, not through the future.
 *
 * <p>Each call runs the synchronous one on the cache's {@link CacheBuilder#executor executor},
 * which holds one of its threads while the call is in flight: backends do not use their drivers'
 * own asynchronous APIs yet, so many calls in flight need as many threads.
 */
public interface AsyncCache {

  /** The synchronous cache this is a view of. */
  Cache synchronous();

  /** See {@link Cache#get(String, Class)}. */
  <T> CompletableFuture<T> get(String key, Class<T> type);

  /** See {@link Cache#getOrDefault}. */
  <T> CompletableFuture<T> getOrDefault(String key, Class<T> type, T defaultValue);

  /** See {@link Cache#contains}. */
  CompletableFuture<Boolean> contains(String key);

  /** See {@link Cache#put(String, Object, Duration)}. */
  CompletableFuture<Void> put(String key, Object value, Duration ttl);

  /** See {@link Cache#putIfAbsent}. */
  CompletableFuture<Boolean> putIfAbsent(String key, Object value, Duration ttl);

  /** See {@link Cache#remember(String, Class, Duration, Supplier)}; the loader runs off the caller's thread. */
  <T> CompletableFuture<T> remember(
      String key, Class<T> type, Duration ttl, Supplier<? extends T> loader);

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
}
