package dev.hoard.cache;

import dev.hoard.cache.spi.CacheStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A cache over any {@link CacheStore}: typed values, TTLs, cache-aside loading, counters, scoped
 * and tagged views. Open one with {@link Caches#open(String)} or {@link #builder(CacheStore)}.
 *
 * <p>Keys are non-empty strings of at most {@value #MAX_KEY_LENGTH} characters. A {@code null} key
 * or value throws {@link NullPointerException}; an empty or over-long key, or a TTL that is not
 * positive, throws {@link IllegalArgumentException}. Reads of an entry that cannot be decoded into
 * the requested type are misses and count as {@link CacheStats#errors() errors}. Store failures
 * follow the cache's {@link dev.hoard.cache.resilience.FailureMode}: by default they are absorbed
 * (reads miss, writes are dropped, both counted as errors); in strict mode they surface as {@link
 * CacheException}.
 *
 * <p>Every view ({@link #scoped}, {@link #tagged}) shares the store, the statistics and the
 * loading of its parent. Instances are thread-safe.
 */
public interface Cache extends AutoCloseable {

  /** The longest key accepted, in characters. Stores with shorter limits hash long keys. */
  int MAX_KEY_LENGTH = 4096;

  /** A TTL meaning "never expires". {@link #ttl} reports it for entries without expiry. */
  Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  /** Starts building a cache over a store. */
  static CacheBuilder builder(CacheStore store) {
    return new CacheBuilder(store);
  }

  /** The name used in statistics and logs. */
  String name();

  /** The value at {@code key} as the codec reads it without a type hint, or {@code null}. */
  Object get(String key);

  /** The value at {@code key}, or {@code null} when absent, expired or not readable as {@code type}. */
  <T> T get(String key, Class<T> type);

  /** The value at {@code key} read as a generic type, or {@code null}. */
  <T> T get(String key, TypeRef<T> type);

  /** The value at {@code key}, or {@code defaultValue} when there is none. */
  <T> T getOrDefault(String key, Class<T> type, T defaultValue);

  /** Whether a live entry exists at {@code key}. */
  boolean contains(String key);

  /** Stores a value with the cache's default TTL. */
  void put(String key, Object value);

  /** Stores a value that expires after {@code ttl} ({@link #FOREVER} for never). */
  void put(String key, Object value, Duration ttl);

  /** Stores a value only if the key has no live entry; returns whether it was stored. Atomic. */
  boolean putIfAbsent(String key, Object value, Duration ttl);

  /**
   * Returns the cached value, or runs {@code loader}, caches what it returns and returns that.
   * Concurrent callers for one key in this process run the loader once and share its result. A
   * loader that throws caches nothing and its exception reaches every waiting caller; a loader that
   * returns {@code null} caches nothing.
   */
  <T> T remember(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader);

  /** {@link #remember(String, Class, Duration, Supplier)} for a generic type. */
  <T> T remember(String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader);

  /** Removes the entry; returns whether there was one. */
  boolean delete(String key);

  /** The live entries among {@code keys} readable as {@code type}, in one round trip where possible. */
  <T> Map<String, T> getAll(Collection<String> keys, Class<T> type);

  /** Stores every entry with one TTL, batched where the store can. */
  void putAll(Map<String, ?> entries, Duration ttl);

  /** Removes the keys; returns how many entries were removed. */
  long deleteAll(Collection<String> keys);

  /**
   * Atomically adds {@code delta} and returns the new value. A missing key starts from zero and
   * gets {@code ttlIfCreated}; an existing counter keeps its expiry.
   *
   * @throws IllegalStateException if the key holds something other than a counter
   */
  long increment(String key, long delta, Duration ttlIfCreated);

  /** Adds one; a new counter never expires. */
  default long increment(String key) {
    return increment(key, 1, FOREVER);
  }

  /** Atomically subtracts {@code delta}; see {@link #increment(String, long, Duration)}. */
  default long decrement(String key, long delta, Duration ttlIfCreated) {
    return increment(key, Math.negateExact(delta), ttlIfCreated);
  }

  /** Gives a live entry a new TTL; returns whether it existed. */
  boolean touch(String key, Duration ttl);

  /** The time left for a live entry ({@link #FOREVER} when it never expires), empty when absent. */
  Optional<Duration> ttl(String key);

  /**
   * The keys of this cache (not of its scoped views) matching a glob ({@code user:*}), streamed;
   * close the stream. Never a blocking {@code KEYS} on a server.
   *
   * @throws UnsupportedOperationException on stores that cannot list keys, such as Memcached
   */
  Stream<String> keys(String glob);

  /** Removes the entries whose keys match the glob; returns how many. */
  long deleteMatching(String glob);

  /**
   * Removes every entry of this cache. On a scoped or tagged view that is only the view's entries;
   * on the root cache it is everything under the store's prefix, never other applications' keys.
   */
  void clear();

  /**
   * What this cache (with all its views) has done so far. Its {@code size} comes from the store's
   * own count, or else from {@link #storeReport()}.
   */
  CacheStats stats();

  /**
   * What the store's servers say about it (entries, memory, per-server figures), asked at most
   * once every {@link StoreReport#FRESHNESS} of the store's clock and reused meanwhile; the last
   * answer while the servers do not answer. The same for a cache and its views.
   */
  StoreReport storeReport();

  /**
   * A view whose keys live apart from every other scope: {@code scoped("tenant", "42")} can never
   * read or clear what {@code scoped("tenant", "43")} or the parent wrote.
   */
  Cache scoped(String kind, String id);

  /**
   * A view whose entries are invalidated together when any of the tags is: writes through it
   * record the tags; {@link #invalidateTags} makes every such entry a miss without scanning.
   * Entries written with one set of tags are read back through a view with the same set.
   */
  Cache tagged(String... tags);

  /** Makes every entry written under any of these tags (in this scope) a miss. */
  void invalidateTags(String... tags);

  /** The same cache with every call returning a {@link java.util.concurrent.CompletableFuture}. */
  AsyncCache async();

  /**
   * Closes the store shared by this cache and all its views, which ends them all. On a {@link
   * #scoped} or {@link #tagged} view it does nothing: the view shares the store with the rest, so
   * only the cache it came from closes it.
   */
  @Override
  void close();
}
