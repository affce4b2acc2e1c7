package dev.hoard.jcache.internal;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;

/**
 * A JCache {@link CacheManager} over the Hoard store its URI names. On a store that others can
 * see or that outlives the process (Redis, file…) every cache keeps its entries under its own key
 * prefix in the one store; on memory each cache has a store of its own.
 */
public final class StoreCacheManager implements CacheManager {

  /** Property naming the HMAC key (Base64, at least 32 bytes) for values in byte stores. */
  public static final String SIGNING_KEY = "hoard.jcache.signingKey";
  /** Property listing, comma-separated, the classes that values in byte stores may hold. */
  public static final String ALLOWED_CLASSES = "hoard.jcache.allowedClasses";

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final CachingProvider provider;
  private final Consumer<StoreCacheManager> onClose;
  private final URI uri;
  private final WeakReference<ClassLoader> classLoader;
  private final Properties properties;
  private final CacheStore store;
  private final Codec codec;
  /** Whether the store keeps nothing beyond this process, so each cache may have its own. */
  private final boolean privateStores;
  private final Map<String, StoreJCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final ExecutorService events;
  private final ExecutorService loads;
  private volatile boolean closed;

  /** Opens the store at {@code uri}; {@code onClose} hears when this manager closes. */
  public StoreCacheManager(CachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties, Consumer<StoreCacheManager> onClose) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = new WeakReference<>(classLoader);
    this.properties = new Properties();
    this.properties.putAll(properties);
    this.onClose = onClose;
    this.store = Caches.openStore(uri.toString(), Clock.systemUTC());
    try {
      this.codec = codecFor(store, this.properties);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.privateStores = !store.capabilities().contains(StoreCapability.SHARED)
        && !store.capabilities().contains(StoreCapability.PERSISTENT);
    // Asynchronous listeners hear a cache's events in order: one thread delivers them all.
    this.events = executor(1, "hoard-jcache-events-");
    this.loads = executor(2, "hoard-jcache-loads-");
  }

  /**
   * Java serialization signed with a key: a random one for stores that never let bytes leave this
   * process (values there are only copied), the configured one for stores others can write to.
   */
  private static Codec codecFor(CacheStore store, Properties properties) {
    if (store.capabilities().contains(StoreCapability.STORES_REFERENCES)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      return Codecs.signedJava(key, List.of("*"));
    }
    String key = properties.getProperty(SIGNING_KEY);
    String allowed = properties.getProperty(ALLOWED_CLASSES);
    if (key == null || allowed == null) {
      throw new IllegalArgumentException("a JCache cache manager on " + store.description()
          + " keeps values as signed Java serialization: pass the properties " + SIGNING_KEY
          + " (a Base64 key of at least 32 bytes, shared by every process) and "
          + ALLOWED_CLASSES + " (e.g. com.example.model.*) to getCacheManager");
    }
    List<String> classes = new ArrayList<>();
    for (String pattern : allowed.split(",")) {
      if (!pattern.isBlank()) {
        classes.add(pattern.strip());
      }
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("property " + SIGNING_KEY + " is not Base64", e);
    }
    return Codecs.signedJava(secret, classes);
  }

  private static ExecutorService executor(int threads, String prefix) {
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, prefix + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), factory);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader.get();
  }

  @Override
  public Properties getProperties() {
    return properties;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("cache " + cacheName + " already exists in " + uri);
      }
      ClassLoader loader = getClassLoader();
      boolean references = store.capabilities().contains(StoreCapability.STORES_REFERENCES);
      EntryEncoding encoding = EntryEncoding.forStore(references,
          configuration.isStoreByValue(), codec, loader);
      boolean byReference = references && !configuration.isStoreByValue();
      StoreJCache<K, V> cache;
      if (privateStores) {
        // Nothing outlives this process in such a store: each cache gets one of its own, starting
        // empty, bounded on its own, and its keys need no prefix.
        CacheStore own = Caches.openStore(uri.toString(), Clock.systemUTC());
        cache = new StoreJCache<>(this, cacheName, configuration, own, true, encoding,
            new KeyFormat("", codec, loader, byReference), events, loads);
      } else {
        cache = new StoreJCache<>(this, cacheName, configuration, store, false, encoding,
            new KeyFormat(KeyFormat.prefixOf(cacheName), codec, loader, byReference), events,
            loads);
      }
      caches.put(cacheName, cache);
      cache.registerManagement();
      return cache;
    }
  }

  @Override
  public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    StoreJCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    if (!cache.keyType().equals(keyType)) {
      throw new ClassCastException("cache " + cacheName + " holds keys of type "
          + cache.keyType().getName() + ", not " + keyType.getName());
    }
    if (!cache.valueType().equals(valueType)) {
      throw new ClassCastException("cache " + cacheName + " holds values of type "
          + cache.valueType().getName() + ", not " + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Collections.unmodifiableSet(new java.util.TreeSet<>(caches.keySet()));
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    StoreJCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.clearQuietly();
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    StoreJCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName"));
    if (cache != null) {
      cache.enableManagement(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    StoreJCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName"));
    if (cache != null) {
      cache.enableStatistics(enabled);
    }
  }

  /** Forgets a cache that closed itself. */
  void release(StoreJCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onClose.accept(this);
    for (StoreJCache<?, ?> cache : caches.values()) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        // One cache failing to close must not keep the others, or the store, open.
      }
    }
    caches.clear();
    events.shutdown();
    loads.shutdown();
    store.close();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (!privateStores && type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("a cache manager cannot be unwrapped to " + type.getName()
        + "; it unwraps to " + getClass().getName()
        + (privateStores ? " (each cache unwraps to its own " : " and ")
        + CacheStore.class.getName() + (privateStores ? ")" : ""));
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }

  @Override
  public String toString() {
    return "StoreCacheManager[" + uri + "]";
  }
}
