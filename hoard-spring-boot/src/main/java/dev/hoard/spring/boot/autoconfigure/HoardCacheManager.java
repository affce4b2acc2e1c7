package dev.hoard.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches live in Hoard caches, so {@code @Cacheable}, {@code
 * @CachePut} and {@code @CacheEvict} work on every Hoard store. Each Spring cache is a scoped view
 * of a Hoard cache ({@code scoped("spring-cache", name)}): caches sharing a store never see or
 * clear each other's entries. The Hoard caches passed in stay owned by the caller, who closes them.
 */
public final class HoardCacheManager implements CacheManager {

  private final Map<String, Settings> configured;
  private final Settings defaults;
  private final boolean dynamic;
  private final boolean allowNullValues;
  private final ValueTypes types;
  private final ConcurrentMap<String, HoardSpringCache> caches = new ConcurrentHashMap<>();

  private HoardCacheManager(Builder builder) {
    this.configured = new LinkedHashMap<>(builder.configured);
    this.defaults = new Settings(builder.store, builder.ttl);
    this.dynamic = builder.dynamic;
    this.types = new ValueTypes(builder.valuePackages, builder.classLoader);
    this.allowNullValues = builder.allowNullValues;
    this.configured.keySet().forEach(this::getCache);
  }

  /** Starts a manager whose caches live in {@code store} unless given a store of their own. */
  public static Builder builder(dev.hoard.cache.Cache store) {
    return new Builder(store);
  }

  /**
   * The cache of this name; created on first use unless the manager was built with {@link
   * Builder#fixedCacheNames()}, in which case only configured names exist.
   */
  @Override
  public Cache getCache(String name) {
    HoardSpringCache cache = caches.get(name);
    if (cache != null) {
      return cache;
    }
    Settings settings = configured.get(name);
    if (settings == null && !dynamic) {
      return null;
    }
    Settings effective = settings != null ? settings.orElse(defaults) : defaults;
    return caches.computeIfAbsent(name, created -> new HoardSpringCache(created,
        view(effective.store(), created), effective.ttl(), allowNullValues, types));
  }

  @Override
  public Collection<String> getCacheNames() {
    return Collections.unmodifiableSet(caches.keySet());
  }

  /** The Hoard cache views under the Spring caches created so far, by name (for metrics). */
  public Map<String, dev.hoard.cache.Cache> hoardCaches() {
    Map<String, dev.hoard.cache.Cache> views = new LinkedHashMap<>();
    caches.forEach((name, cache) -> views.put(name, cache.getNativeCache()));
    return views;
  }

  /**
   * The view holding one Spring cache. On a store that can list its keys a scoped clear removes
   * just this cache's entries; on one that cannot (Memcached) the view is also tagged, so that
   * clearing it is a version bump of the tag rather than an impossible scan.
   */
  private static dev.hoard.cache.Cache view(dev.hoard.cache.Cache store, String name) {
    dev.hoard.cache.Cache scoped = store.scoped("spring-cache", name);
    return listsKeys(store) ? scoped : scoped.tagged("all");
  }

  private static boolean listsKeys(dev.hoard.cache.Cache store) {
    // Opening the stream (never reading it) is enough: stores that cannot scan refuse at once.
    try (Stream<String> keys = store.keys("*")) {
      return keys != null;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private record Settings(dev.hoard.cache.Cache store, Duration ttl) {
    Settings orElse(Settings defaults) {
      return new Settings(store != null ? store : defaults.store,
          ttl != null ? ttl : defaults.ttl);
    }
  }

  /** Configures a {@link HoardCacheManager}. */
  public static final class Builder {
    private final dev.hoard.cache.Cache store;
    private final Map<String, Settings> configured = new LinkedHashMap<>();
    private final List<String> valuePackages = new ArrayList<>();
    private Duration ttl = dev.hoard.cache.Cache.FOREVER;
    private boolean allowNullValues = true;
    private boolean dynamic = true;
    private ClassLoader classLoader = HoardCacheManager.class.getClassLoader();

    private Builder(dev.hoard.cache.Cache store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** How long entries live in caches without a TTL of their own; never expire unless set. */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /** Declares a cache up front, with its own TTL (or {@code null} for the manager's). */
    public Builder cache(String name, Duration ttl) {
      return cache(name, null, ttl);
    }

    /**
     * Declares a cache up front in a store of its own ({@code null}: the manager's), with its own
     * TTL ({@code null}: the manager's).
     */
    public Builder cache(String name, dev.hoard.cache.Cache store, Duration ttl) {
      Objects.requireNonNull(name, "name");
      configured.put(name, new Settings(store, ttl == null ? null : positive(ttl, "ttl of " + name)));
      return this;
    }

    /** Whether {@code null} results are cached; {@code true} unless set, as in Spring. */
    public Builder allowNullValues(boolean allow) {
      this.allowNullValues = allow;
      return this;
    }

    /** Only declared caches exist; {@code getCache} of any other name returns {@code null}. */
    public Builder fixedCacheNames() {
      this.dynamic = false;
      return this;
    }

    /**
     * Packages (e.g. {@code com.example.model}) whose classes cached values may be read back as
     * from stores that keep bytes, besides {@code java.lang}, {@code java.util}, {@code java.time}
     * and {@code java.math}. Values of other classes are misses.
     */
    public Builder valuePackages(Collection<String> packages) {
      packages.forEach(name -> valuePackages.add(Objects.requireNonNull(name, "package")));
      return this;
    }

    /** The class loader cached values' classes load with; the application's under Spring Boot. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "classLoader");
      return this;
    }

    /** Builds the manager, creating the declared caches. */
    public HoardCacheManager build() {
      return new HoardCacheManager(this);
    }

    private static Duration positive(Duration ttl, String what) {
      Objects.requireNonNull(ttl, what);
      if (ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, was " + ttl);
      }
      return ttl;
    }
  }
}
