package dev.hoard.cache.internal;

import dev.hoard.cache.AsyncCache;
import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.cache.TypeRef;
import dev.hoard.cache.spi.CacheStore;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link AsyncCache} over the store's non-blocking calls, with the key spaces, encoding and
 * statistics of the {@link DefaultCache} it is a view of. What has no non-blocking form — tagged
 * views (several store calls per read), key scans, blocking loaders — runs the synchronous call on
 * the executor. Argument checks happen on the caller's thread.
 */
final class DefaultAsyncCache implements AsyncCache {

  private final DefaultCache cache;
  private final Executor executor;
  private final CacheStore store;
  private final ValueEncoding encoding;
  private final StatsRecorder stats;
  private final boolean tagged;

  DefaultAsyncCache(DefaultCache cache, Executor executor) {
    this.cache = cache;
    this.executor = executor;
    this.store = cache.store();
    this.encoding = cache.encoding();
    this.stats = cache.statsRecorder();
    this.tagged = cache.isTagged();
  }

  /** Runs a synchronous call on the executor; a full executor fails the future, not the caller. */
  private <T> CompletableFuture<T> onExecutor(Supplier<T> call) {
    try {
      return CompletableFuture.supplyAsync(call, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static <T> CompletableFuture<T> future(CompletionStage<T> stage) {
    return stage.toCompletableFuture();
  }

  @Override
  public Cache synchronous() {
    return cache;
  }

  @Override
  public String name() {
    return cache.name();
  }

  @Override
  public CacheStats stats() {
    return cache.stats();
  }

  // ---- reads

  @Override
  public CompletableFuture<Object> get(String key) {
    return read(key, Object.class);
  }

  @Override
  public <T> CompletableFuture<T> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return read(key, type);
  }

  @Override
  public <T> CompletableFuture<T> get(String key, TypeRef<T> type) {
    Objects.requireNonNull(type, "type");
    return read(key, type.type());
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> read(String key, Type type) {
    String storeKey = cache.storeKey(key);
    if (tagged) {
      return onExecutor(() -> (T) readTagged(key, type));
    }
    return future(store.getAsync(storeKey)).thenApply(stored -> (T) decoded(storeKey, stored, type));
  }

  private Object readTagged(String key, Type type) {
    return cache.read(key, type);
  }

  private Object decoded(String storeKey, Object stored, Type type) {
    if (stored == null) {
      stats.miss();
      return null;
    }
    return cache.decodeHit(storeKey, stored, type);
  }

  @Override
  public <T> CompletableFuture<T> getOrDefault(String key, Class<T> type, T defaultValue) {
    return get(key, type).thenApply(value -> value != null ? value : defaultValue);
  }

  @Override
  public CompletableFuture<Boolean> contains(String key) {
    String storeKey = cache.storeKey(key);
    if (tagged) {
      return onExecutor(() -> cache.contains(key));
    }
    return future(store.expiresAtAsync(storeKey)).thenApply(at -> at != CacheStore.ABSENT);
  }

  @Override
  public <T> CompletableFuture<Map<String, T>> getAll(Collection<String> keys, Class<T> type) {
    Objects.requireNonNull(type, "type");
    Map<String, String> userKeys = new LinkedHashMap<>();
    for (String key : List.copyOf(keys)) {
      userKeys.put(cache.storeKey(key), key);
    }
    if (tagged) {
      return onExecutor(() -> cache.getAll(userKeys.values(), type));
    }
    return future(store.getAllAsync(userKeys.keySet())).thenApply(found -> {
      Map<String, T> values = new LinkedHashMap<>();
      int misses = 0;
      for (Map.Entry<String, String> entry : userKeys.entrySet()) {
        Object stored = found.get(entry.getKey());
        if (stored == null) {
          misses++;
          continue;
        }
        Object value = cache.decodeHit(entry.getKey(), stored, type);
        if (value != null) {
          values.put(entry.getValue(), type.cast(value));
        }
      }
      stats.misses(misses);
      return values;
    });
  }

  @Override
  public CompletableFuture<Optional<Duration>> ttl(String key) {
    String storeKey = cache.storeKey(key);
    return future(store.expiresAtAsync(storeKey)).thenApply(expiresAt -> {
      if (expiresAt == CacheStore.ABSENT) {
        return Optional.empty();
      }
      if (expiresAt == CacheStore.NEVER) {
        return Optional.of(Cache.FOREVER);
      }
      return Optional.of(Duration.ofMillis(Math.max(0, expiresAt - store.clock().millis())));
    });
  }

  // ---- writes

  @Override
  public CompletableFuture<Void> put(String key, Object value) {
    Objects.requireNonNull(value, "value");
    return tagged ? onExecutor(() -> {
      cache.put(key, value);
      return null;
    }) : put(key, value, cache.defaultTtl());
  }

  @Override
  public CompletableFuture<Void> put(String key, Object value, Duration ttl) {
    String storeKey = cache.storeKey(key);
    Objects.requireNonNull(value, "value");
    long expiresAt = cache.expiresAt(ttl);
    if (tagged) {
      return onExecutor(() -> {
        cache.put(key, value, ttl);
        return null;
      });
    }
    Object stored = encoding.encode(value);
    return future(store.putAsync(storeKey, stored, expiresAt)).thenApply(done -> {
      stats.puts(1);
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, Object value, Duration ttl) {
    String storeKey = cache.storeKey(key);
    Objects.requireNonNull(value, "value");
    long expiresAt = cache.expiresAt(ttl);
    if (tagged) {
      return onExecutor(() -> cache.putIfAbsent(key, value, ttl));
    }
    Object stored = encoding.encode(value);
    return future(store.putIfAbsentAsync(storeKey, stored, expiresAt)).thenApply(added -> {
      if (added) {
        stats.puts(1);
      }
      return added;
    });
  }

  @Override
  public CompletableFuture<Void> putAll(Map<String, ?> entries, Duration ttl) {
    Map<String, ?> copy = new HashMap<>(entries);
    long expiresAt = cache.expiresAt(ttl);
    if (tagged) {
      copy.keySet().forEach(cache::storeKey);
      return onExecutor(() -> {
        cache.putAll(copy, ttl);
        return null;
      });
    }
    Map<String, Object> stored = new HashMap<>(copy.size() * 2);
    copy.forEach((key, value) -> {
      Objects.requireNonNull(value, () -> "value for key '" + key + "'");
      stored.put(cache.storeKey(key), encoding.encode(value));
    });
    return future(store.putAllAsync(stored, expiresAt)).thenApply(done -> {
      stats.puts(stored.size());
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return future(store.deleteAsync(cache.storeKey(key)));
  }

  @Override
  public CompletableFuture<Long> deleteAll(Collection<String> keys) {
    List<String> storeKeys = new ArrayList<>(keys.size());
    for (String key : List.copyOf(keys)) {
      storeKeys.add(cache.storeKey(key));
    }
    return future(store.deleteAllAsync(storeKeys));
  }

  @Override
  public CompletableFuture<Long> increment(String key, long delta, Duration ttlIfCreated) {
    String storeKey = cache.storeKey(key);
    if (tagged) {
      throw new UnsupportedOperationException(
          "counters cannot be tagged; increment through the untagged cache or a scoped view");
    }
    return future(store.incrementAsync(storeKey, delta, cache.expiresAt(ttlIfCreated)));
  }

  @Override
  public CompletableFuture<Boolean> touch(String key, Duration ttl) {
    String storeKey = cache.storeKey(key);
    return future(store.touchAsync(storeKey, cache.expiresAt(ttl)));
  }

  // ---- loading

  @Override
  public <T> CompletableFuture<T> remember(
      String key, Class<T> type, Duration ttl, Supplier<? extends T> loader) {
    checkRemember(key, type, ttl, loader);
    return onExecutor(() -> cache.remember(key, type, ttl, loader));
  }

  @Override
  public <T> CompletableFuture<T> remember(
      String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader) {
    checkRemember(key, type, ttl, loader);
    return onExecutor(() -> cache.remember(key, type, ttl, loader));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> rememberAsync(
      String key, Class<T> type, Duration ttl,
      Supplier<? extends CompletionStage<? extends T>> loader) {
    checkRemember(key, type, ttl, loader);
    return (CompletableFuture<T>) rememberAsync(key, (Type) type, ttl, loader);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> rememberAsync(
      String key, TypeRef<T> type, Duration ttl,
      Supplier<? extends CompletionStage<? extends T>> loader) {
    checkRemember(key, type, ttl, loader);
    return (CompletableFuture<T>) rememberAsync(key, type.type(), ttl, loader);
  }

  private void checkRemember(String key, Object type, Duration ttl, Object loader) {
    cache.storeKey(key);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(loader, "loader");
    cache.expiresAt(ttl);
  }

  private CompletableFuture<Object> rememberAsync(
      String key, Type type, Duration ttl,
      Supplier<? extends CompletionStage<?>> loader) {
    if (tagged || cache.locksAcrossProcesses()) {
      // Tag tokens and the store lock take blocking calls: the whole remember runs on the
      // executor, still sharing the load with every other caller of this key.
      return onExecutor(() -> cache.load(key, type, ttl,
          () -> loader.get().toCompletableFuture().join()));
    }
    String storeKey = cache.storeKey(key);
    return read(key, type).thenCompose(cached -> cached != null
        ? CompletableFuture.completedFuture(cached)
        : cache.singleFlight().loadAsync(storeKey, type,
            () -> loadAndStore(key, storeKey, type, ttl, loader)));
  }

  /** Checks the store once more (another caller may have just stored it), then loads and stores. */
  private CompletableFuture<Object> loadAndStore(
      String key, String storeKey, Type type, Duration ttl,
      Supplier<? extends CompletionStage<?>> loader) {
    return future(store.getAsync(storeKey)).thenCompose(stored -> {
      Object cached = stored == null ? null : cache.decodeHit(storeKey, stored, type);
      if (cached != null) {
        return CompletableFuture.completedFuture(cached);
      }
      long start = System.nanoTime();
      CompletionStage<?> loading;
      try {
        loading = Objects.requireNonNull(loader.get(), "the loader returned no stage");
      } catch (RuntimeException | Error e) {
        stats.loadFailed(System.nanoTime() - start);
        return CompletableFuture.failedFuture(e);
      }
      return loading.toCompletableFuture().handle((loaded, failure) -> {
        if (failure != null) {
          stats.loadFailed(System.nanoTime() - start);
          throw failure instanceof RuntimeException runtime
              ? runtime : new CompletionException(failure);
        }
        stats.loadSucceeded(System.nanoTime() - start);
        if (loaded != null && !ValueEncoding.rawClass(type).isInstance(loaded)) {
          throw new ClassCastException(
              "loader for key '" + key + "' returned a " + loaded.getClass().getName()
                  + ", not a " + type.getTypeName());
        }
        return (Object) loaded;
      }).thenCompose(loaded -> loaded == null
          ? CompletableFuture.completedFuture(null)
          : put(key, loaded, ttl).thenApply(stored2 -> loaded));
    });
  }

  // ---- scans and views

  @Override
  public CompletableFuture<List<String>> keys(String glob) {
    Objects.requireNonNull(glob, "glob");
    return onExecutor(() -> {
      try (Stream<String> keys = cache.keys(glob)) {
        return keys.collect(Collectors.toList());
      }
    });
  }

  @Override
  public CompletableFuture<Long> deleteMatching(String glob) {
    Objects.requireNonNull(glob, "glob");
    return onExecutor(() -> cache.deleteMatching(glob));
  }

  @Override
  public CompletableFuture<Void> clear() {
    return onExecutor(() -> {
      cache.clear();
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> invalidateTags(String... tags) {
    String[] copy = tags.clone();
    return onExecutor(() -> {
      cache.invalidateTags(copy);
      return null;
    });
  }

  @Override
  public AsyncCache scoped(String kind, String id) {
    return cache.scoped(kind, id).async();
  }

  @Override
  public AsyncCache tagged(String... tags) {
    return cache.tagged(tags).async();
  }
}
