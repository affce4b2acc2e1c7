package dev.hoard.cache.internal;

import dev.hoard.cache.AsyncCache;
import dev.hoard.cache.Cache;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs each {@link Cache} call on an executor; argument checks happen on the caller's thread. */
final class DefaultAsyncCache implements AsyncCache {

  private final DefaultCache cache;
  private final Executor executor;

  DefaultAsyncCache(DefaultCache cache, Executor executor) {
    this.cache = cache;
    this.executor = executor;
  }

  private <T> CompletableFuture<T> run(String key, Supplier<T> call) {
    cache.checkKey(key);
    return CompletableFuture.supplyAsync(call, executor);
  }

  @Override
  public Cache synchronous() {
    return cache;
  }

  @Override
  public <T> CompletableFuture<T> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return run(key, () -> cache.get(key, type));
  }

  @Override
  public <T> CompletableFuture<T> getOrDefault(String key, Class<T> type, T defaultValue) {
    Objects.requireNonNull(type, "type");
    return run(key, () -> cache.getOrDefault(key, type, defaultValue));
  }

  @Override
  public CompletableFuture<Boolean> contains(String key) {
    return run(key, () -> cache.contains(key));
  }

  @Override
  public CompletableFuture<Void> put(String key, Object value, Duration ttl) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    return run(key, () -> {
      cache.put(key, value, ttl);
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, Object value, Duration ttl) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    return run(key, () -> cache.putIfAbsent(key, value, ttl));
  }

  @Override
  public <T> CompletableFuture<T> remember(
      String key, Class<T> type, Duration ttl, Supplier<? extends T> loader) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(loader, "loader");
    return run(key, () -> cache.remember(key, type, ttl, loader));
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return run(key, () -> cache.delete(key));
  }

  @Override
  public <T> CompletableFuture<Map<String, T>> getAll(Collection<String> keys, Class<T> type) {
    List<String> copy = List.copyOf(keys);
    copy.forEach(cache::checkKey);
    Objects.requireNonNull(type, "type");
    return CompletableFuture.supplyAsync(() -> cache.getAll(copy, type), executor);
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ?> entries, Duration ttl) {
    Map<String, ?> copy = Map.copyOf(entries);
    copy.keySet().forEach(cache::checkKey);
    Objects.requireNonNull(ttl, "ttl");
    return CompletableFuture.runAsync(() -> cache.putAll(copy, ttl), executor);
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    List<String> copy = List.copyOf(keys);
    copy.forEach(cache::checkKey);
    return CompletableFuture.supplyAsync(() -> cache.deleteAll(copy), executor);
  }

  @Override
  public CompletableFuture<Long> increment(String key, long delta, Duration ttlIfCreated) {
    Objects.requireNonNull(ttlIfCreated, "ttlIfCreated");
    return run(key, () -> cache.increment(key, delta, ttlIfCreated));
  }

  @Override
  public CompletableFuture<Boolean> touch(String key, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return run(key, () -> cache.touch(key, ttl));
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    return run(key, () -> cache.ttl(key));
  }

  @Override
  public CompletableFuture<List<String>> keys(String glob) {
    Objects.requireNonNull(glob, "glob");
    return CompletableFuture.supplyAsync(() -> {
      try (Stream<String> keys = cache.keys(glob)) {
        return keys.collect(Collectors.toList());
      }
    }, executor);
  }

  @Override
  public CompletableFuture<Long> deleteMatching(String glob) {
    Objects.requireNonNull(glob, "glob");
    return CompletableFuture.supplyAsync(() -> cache.deleteMatching(glob), executor);
  }

  @Override
  public CompletableFuture<Void> clear() {
    return CompletableFuture.runAsync(cache::clear, executor);
  }
}
