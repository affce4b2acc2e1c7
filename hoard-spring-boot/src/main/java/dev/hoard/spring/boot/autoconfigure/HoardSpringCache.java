package dev.hoard.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * One Spring cache over a Hoard cache view. Values are kept as {@link CachedValue}s, so a cached
 * {@code null} and the value's class survive stores that keep bytes. {@code @Cacheable(sync =
 * true)} loads through Hoard's single-flight {@code remember}; {@code retrieve} (asynchronous and
 * reactive {@code @Cacheable}) runs on Hoard's asynchronous API.
 */
final class HoardSpringCache implements Cache {

  private static final Logger log = LoggerFactory.getLogger(HoardSpringCache.class);

  /** Whether a key class overrides {@code toString}; looked up once per class, off the hot path. */
  private static final ClassValue<Boolean> HAS_OWN_TO_STRING = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("toString").getDeclaringClass() != Object.class;
      } catch (NoSuchMethodException e) {
        throw new AssertionError("every class has toString", e);
      }
    }
  };

  private final String name;
  private final dev.hoard.cache.Cache entries;
  private final Duration ttl;
  private final boolean allowNullValues;
  private final ValueTypes types;
  private final ConcurrentMap<String, CompletableFuture<Object>> loading =
      new ConcurrentHashMap<>();

  HoardSpringCache(String name, dev.hoard.cache.Cache entries, Duration ttl,
      boolean allowNullValues, ValueTypes types) {
    this.name = name;
    this.entries = entries;
    this.ttl = ttl;
    this.allowNullValues = allowNullValues;
    this.types = types;
  }

  @Override
  public String getName() {
    return name;
  }

  /** The Hoard cache view holding this cache's entries. */
  @Override
  public dev.hoard.cache.Cache getNativeCache() {
    return entries;
  }

  @Override
  public ValueWrapper get(Object key) {
    CachedValue stored = entries.get(keyOf(key), CachedValue.class);
    return stored == null ? null : wrapped(stored, key);
  }

  @Override
  public <T> T get(Object key, Class<T> type) {
    ValueWrapper found = get(key);
    Object value = found == null ? null : found.get();
    if (value != null && type != null && !type.isInstance(value)) {
      throw new IllegalStateException("cached value in cache '" + name + "' at key " + key
          + " is a " + value.getClass().getName() + ", not the required " + type.getName());
    }
    return type == null ? null : type.cast(value);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Callable<T> valueLoader) {
    CachedValue stored = entries.remember(keyOf(key), CachedValue.class, ttl, () -> {
      try {
        return toStored(valueLoader.call());
      } catch (Exception e) {
        throw new ValueRetrievalException(key, valueLoader, e);
      }
    });
    return (T) restored(stored, key);
  }

  /**
   * Completes with the cached value ({@link ValueWrapper}-wrapped when nulls are allowed, as
   * Spring's own caches do) or with {@code null} on a miss.
   */
  @Override
  public CompletableFuture<?> retrieve(Object key) {
    return entries.async().get(keyOf(key), CachedValue.class)
        .thenApply(stored -> stored == null
            ? null
            : allowNullValues ? wrapped(stored, key) : restored(stored, key));
  }

  /**
   * Completes with the cached value, or with what {@code valueLoader} completes with after
   * storing it. Concurrent misses on one key in this process share one load.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(
      Object key, Supplier<CompletableFuture<T>> valueLoader) {
    String storeKey = keyOf(key);
    return entries.async().get(storeKey, CachedValue.class).thenCompose(stored -> stored != null
        ? CompletableFuture.completedFuture((T) restored(stored, key))
        : load(storeKey, valueLoader));
  }

  /** Runs the loader unless a load of this key is already running here, and stores its value. */
  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> load(
      String storeKey, Supplier<CompletableFuture<T>> valueLoader) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = loading.putIfAbsent(storeKey, mine);
    if (running != null) {
      return (CompletableFuture<T>) running;
    }
    CompletableFuture<T> loaded;
    try {
      loaded = valueLoader.get();
    } catch (RuntimeException | Error e) {
      loading.remove(storeKey, mine);
      mine.completeExceptionally(e);
      return (CompletableFuture<T>) mine;
    }
    loaded.thenCompose(value -> entries.async().put(storeKey, toStored(value), ttl)
            .thenApply(stored -> value))
        .whenComplete((value, failure) -> {
          loading.remove(storeKey, mine);
          if (failure != null) {
            mine.completeExceptionally(failure);
          } else {
            mine.complete(value);
          }
        });
    return (CompletableFuture<T>) mine;
  }

  @Override
  public void put(Object key, Object value) {
    entries.put(keyOf(key), toStored(value), ttl);
  }

  @Override
  public ValueWrapper putIfAbsent(Object key, Object value) {
    String storeKey = keyOf(key);
    CachedValue stored = toStored(value);
    while (!entries.putIfAbsent(storeKey, stored, ttl)) {
      CachedValue existing = entries.get(storeKey, CachedValue.class);
      if (existing != null) {
        return wrapped(existing, key);
      }
      // The entry expired or was evicted between the two calls: try again.
    }
    return null;
  }

  @Override
  public void evict(Object key) {
    entries.delete(keyOf(key));
  }

  @Override
  public boolean evictIfPresent(Object key) {
    return entries.delete(keyOf(key));
  }

  /**
   * Removes this cache's entries only: a scoped clear (SCAN and UNLINK on Redis, one statement on
   * SQL) or, on stores that cannot list keys such as Memcached, a bump of the view's tag version.
   */
  @Override
  public void clear() {
    entries.clear();
  }

  private CachedValue toStored(Object value) {
    if (value == null && !allowNullValues) {
      throw new IllegalArgumentException("cache '" + name + "' does not allow null values and"
          + " got one; set hoard.cache.allow-null-values=true or use @Cacheable(unless ="
          + " \"#result == null\")");
    }
    return CachedValue.of(value);
  }

  private ValueWrapper wrapped(CachedValue stored, Object key) {
    Object value = restored(stored, key);
    return value == null && stored.type() != null ? null : new SimpleValueWrapper(value);
  }

  /** The value as its own class; one that can no longer be read back is a miss (null). */
  private Object restored(CachedValue stored, Object key) {
    try {
      return types.restore(stored);
    } catch (IllegalArgumentException e) {
      log.warn("cache '{}': entry {} is treated as a miss: {}", name, key, e.getMessage());
      return null;
    }
  }

  /**
   * The Hoard key of a Spring key: its string form. Keys without one of their own (an object
   * whose {@code toString} is {@code Object}'s) would never match again, so they are refused.
   */
  static String keyOf(Object key) {
    Objects.requireNonNull(key, "cache key");
    if (key instanceof String string) {
      return string;
    }
    if (!HAS_OWN_TO_STRING.get(key.getClass())) {
      throw new IllegalArgumentException("cache key of type " + key.getClass().getName()
          + " has no toString of its own, so it cannot become a Hoard key; give @Cacheable a"
          + " key expression (key = \"#id\") or a KeyGenerator");
    }
    return key.toString();
  }
}
