package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.ReservedKeySpace;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The demo's store, opened once from the cache URL, and the caches over it: {@code users}
 * (profiles), {@code tasks} (task lists and tasks) and {@code pages} (the dashboard's files, kept
 * by the HTTP response cache). Each cache has its own statistics and its own namespace in the
 * store. The rate limiters count in a second store opened from the same URL for {@link
 * ReservedKeySpace#RATE_LIMITS}, so that clearing the cache (even with {@code hoard cache clear})
 * never resets a limit.
 */
final class DemoCaches implements AutoCloseable {

  static final String PAGES = "pages";

  private final CacheStore store;
  private final CacheStore rateLimits;
  private final CacheStore revocations;
  private final Map<String, Cache> caches;
  private final Cache health;

  private DemoCaches(
      CacheStore store, CacheStore rateLimits, CacheStore revocations, Map<String, Cache> caches,
      Cache health) {
    this.store = store;
    this.rateLimits = rateLimits;
    this.revocations = revocations;
    this.caches = caches;
    this.health = health;
  }

  /**
   * Opens the store and the caches.
   *
   * @throws IllegalArgumentException if the URL's scheme or a parameter is unknown
   */
  static DemoCaches open(String url, Clock clock) {
    // In the background: the demo starts with its cache server down and fails open until it is up.
    CacheStore store = Caches.openStoreConnectingInBackground(url, clock);
    Map<String, Cache> caches = new LinkedHashMap<>();
    for (String name : new String[] {TodoStore.USERS, TodoStore.TASKS, PAGES}) {
      // Closing is the store's business (close()), not each cache's: they share it.
      caches.put(name, Cache.builder(store).name(name).build().scoped("demo", name));
    }
    // Health probes go through a cache of their own, so they never show in the others' statistics.
    Cache health = Cache.builder(store).name("health").build().scoped("demo", "health");
    CacheStore rateLimits = null;
    try {
      rateLimits =
          Caches.openStoreConnectingInBackground(url, clock, ReservedKeySpace.RATE_LIMITS);
      CacheStore revocations =
          Caches.openStoreConnectingInBackground(url, clock, ReservedKeySpace.SESSIONS);
      return new DemoCaches(store, rateLimits, revocations, caches, health);
    } catch (RuntimeException e) {
      if (rateLimits != null) {
        rateLimits.close();
      }
      store.close();
      throw e;
    }
  }

  Cache users() {
    return caches.get(TodoStore.USERS);
  }

  Cache tasks() {
    return caches.get(TodoStore.TASKS);
  }

  Cache pages() {
    return caches.get(PAGES);
  }

  /** Whether a value written to the store reads back; a fail-open store that is down drops it. */
  boolean answers() {
    String probe = UUID.randomUUID().toString();
    health.put("probe", probe, Duration.ofSeconds(30));
    return probe.equals(health.get("probe", String.class));
  }

  /** How many keys the whole store holds; empty when it cannot list its keys (Memcached). */
  OptionalLong totalKeys() {
    return count(() -> store.keys(Glob.of("*")));
  }

  /** How many keys this cache holds; empty when the store cannot list its keys. */
  OptionalLong keyCount(Cache cache) {
    return count(() -> cache.keys("*"));
  }

  private static OptionalLong count(Supplier<Stream<String>> keys) {
    try (Stream<String> listed = keys.get()) {
      return OptionalLong.of(listed.count());
    } catch (UnsupportedOperationException e) {
      return OptionalLong.empty();
    }
  }

  /** The store the caches share. */
  CacheStore store() {
    return store;
  }

  /** The store of the rate limiters' counters, in a key space of their own. */
  CacheStore rateLimits() {
    return rateLimits;
  }

  /**
   * Where "log out everywhere" records its moments for cookie sessions: the sessions' key space,
   * so that clearing the cache never brings a revoked session back.
   */
  CacheStore revocations() {
    return revocations;
  }

  /** Every cache by name, in a stable order. */
  Map<String, Cache> byName() {
    return caches;
  }

  @Override
  public void close() {
    try {
      rateLimits.close();
      revocations.close();
    } finally {
      store.close();
    }
  }
}
