package dev.hoard.cache.internal;

import dev.hoard.cache.AsyncCache;
import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.TypeRef;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.codec.Codec;
import dev.hoard.codec.DecodingException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Cache}: key spaces, typed values, TTLs, single-flight loading,
 * tags and statistics, over any {@link CacheStore}. A view is another instance sharing {@link
 * Shared} with a different key space (and, for tagged views, a tag set).
 */
public final class DefaultCache implements Cache {

  private static final Logger log = LoggerFactory.getLogger(DefaultCache.class);
  private static final int DELETE_BATCH = 500;
  private static final long FIRST_LOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long LONGEST_LOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** What a cache and all its views have in common. */
  private record Shared(
      String name,
      CacheStore store,
      StoredForm form,
      Duration defaultTtl,
      double ttlJitter,
      Executor executor,
      Duration lockLease,
      StatsRecorder stats,
      RecentReport report,
      ConcurrentMap<String, CompletableFuture<Object>> loading) {}

  private final Shared shared;
  private final CacheStore store;
  private final StoredForm form;
  private final StatsRecorder stats;
  private final KeySpace space;
  private final KeySpace tagScope;
  private final String[] tags;

  private DefaultCache(Shared shared, KeySpace space, KeySpace tagScope, String[] tags) {
    this.shared = shared;
    this.store = shared.store;
    this.form = shared.form;
    this.stats = shared.stats;
    this.space = space;
    this.tagScope = tagScope;
    this.tags = tags;
  }

  /**
   * Creates a root cache; {@code codec} is null for stores that keep references, {@code lockLease}
   * null unless {@code remember} takes a store lock.
   */
  public static Cache create(
      String name, CacheStore store, Codec codec, Duration defaultTtl, double ttlJitter,
      Executor executor, Duration lockLease) {
    Shared shared = new Shared(
        name, store, StoredForm.of(codec), defaultTtl, ttlJitter, executor, lockLease,
        new StatsRecorder(), new RecentReport(store), new ConcurrentHashMap<>());
    return new DefaultCache(shared, KeySpace.ROOT, null, null);
  }

  @Override
  public String name() {
    return shared.name;
  }

  // ---- reads

  @Override
  public Object get(String key) {
    return read(key, Object.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return (T) read(key, type);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T get(String key, TypeRef<T> type) {
    Objects.requireNonNull(type, "type");
    return (T) read(key, type.type());
  }

  @Override
  public <T> T getOrDefault(String key, Class<T> type, T defaultValue) {
    T value = get(key, type);
    return value != null ? value : defaultValue;
  }

  @Override
  public boolean contains(String key) {
    String storeKey = space.storeKey(key);
    if (tags == null) {
      return store.expiresAt(storeKey) != CacheStore.ABSENT;
    }
    return readStored(storeKey) != null;
  }

  private Object read(String key, Type type) {
    String storeKey = space.storeKey(key);
    if (tags == null) {
      return readDecoded(storeKey, type);
    }
    Object stored = readStored(storeKey);
    if (stored == null) {
      stats.miss();
      return null;
    }
    return decodeHit(storeKey, stored, type);
  }

  /** An untagged read, decoded by the store so that a near cache can reuse what it decoded. */
  private Object readDecoded(String storeKey, Type type) {
    Object value;
    try {
      value = store.getDecoded(storeKey, type, form);
    } catch (DecodingException e) {
      return unreadable(storeKey, type, e);
    }
    if (value == null) {
      stats.miss();
      return null;
    }
    stats.hit();
    return value;
  }

  private Object decodeHit(String storeKey, Object stored, Type type) {
    try {
      Object value = form.decode(stored, type);
      stats.hit();
      return value;
    } catch (DecodingException e) {
      return unreadable(storeKey, type, e);
    }
  }

  /** An entry that cannot be decoded is a miss and a counted error, never a crash. */
  private Object unreadable(String storeKey, Type type, DecodingException e) {
    stats.miss();
    stats.error();
    log.warn("cache '{}': entry {} is unreadable as {}, treated as a miss: {}",
        shared.name, printable(storeKey), type.getTypeName(), e.getMessage());
    return null;
  }

  @Override
  public <T> Map<String, T> getAll(Collection<String> keys, Class<T> type) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(type, "type");
    Map<String, String> userKeys = new LinkedHashMap<>();
    for (String key : keys) {
      userKeys.put(space.storeKey(key), key);
    }
    Map<String, Object> found = readAllStored(userKeys.keySet());
    Map<String, T> values = new LinkedHashMap<>();
    int misses = 0;
    for (Map.Entry<String, String> entry : userKeys.entrySet()) {
      Object stored = found.get(entry.getKey());
      if (stored == null) {
        misses++;
        continue;
      }
      Object value = decodeHit(entry.getKey(), stored, type);
      if (value != null) {
        values.put(entry.getValue(), type.cast(value));
      }
    }
    stats.misses(misses);
    return values;
  }

  // ---- writes

  @Override
  public void put(String key, Object value) {
    put(key, value, shared.defaultTtl);
  }

  @Override
  public void put(String key, Object value, Duration ttl) {
    String storeKey = space.storeKey(key);
    Objects.requireNonNull(value, "value");
    long expiresAt = expiresAt(ttl);
    store.put(storeKey, toStored(value), expiresAt);
    stats.puts(1);
  }

  @Override
  public boolean putIfAbsent(String key, Object value, Duration ttl) {
    String storeKey = space.storeKey(key);
    Objects.requireNonNull(value, "value");
    long expiresAt = expiresAt(ttl);
    Object stored = toStored(value);
    boolean added = store.putIfAbsent(storeKey, stored, expiresAt);
    if (!added && tags != null && readStored(storeKey) == null) {
      // An entry whose tags were invalidated is logically absent; replace it.
      store.delete(storeKey);
      added = store.putIfAbsent(storeKey, stored, expiresAt);
    }
    if (added) {
      stats.puts(1);
    }
    return added;
  }

  @Override
  public void putAll(Map<String, ?> entries, Duration ttl) {
    Objects.requireNonNull(entries, "entries");
    long expiresAt = expiresAt(ttl);
    long[] tokens = tags == null ? null : currentTokens();
    Map<String, Object> stored = new HashMap<>(entries.size() * 2);
    entries.forEach((key, value) -> {
      Objects.requireNonNull(value, () -> "value for key '" + key + "'");
      Object encoded = form.encode(value);
      stored.put(space.storeKey(key), tokens == null ? encoded : form.wrapTagged(tokens, encoded));
    });
    store.putAll(stored, expiresAt);
    stats.puts(stored.size());
  }

  private Object toStored(Object value) {
    Object encoded = form.encode(value);
    return tags == null ? encoded : form.wrapTagged(currentTokens(), encoded);
  }

  @Override
  public boolean delete(String key) {
    return store.delete(space.storeKey(key));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys");
    List<String> storeKeys = new ArrayList<>(keys.size());
    for (String key : keys) {
      storeKeys.add(space.storeKey(key));
    }
    return store.deleteAll(storeKeys);
  }

  @Override
  public long increment(String key, long delta, Duration ttlIfCreated) {
    String storeKey = space.storeKey(key);
    if (tags != null) {
      throw new UnsupportedOperationException(
          "counters cannot be tagged; increment through the untagged cache or a scoped view");
    }
    return store.increment(storeKey, delta, expiresAt(ttlIfCreated));
  }

  @Override
  public boolean touch(String key, Duration ttl) {
    String storeKey = space.storeKey(key);
    return store.touch(storeKey, expiresAt(ttl));
  }

  @Override
  public Optional<Duration> ttl(String key) {
    long expiresAt = store.expiresAt(space.storeKey(key));
    if (expiresAt == CacheStore.ABSENT) {
      return Optional.empty();
    }
    if (expiresAt == CacheStore.NEVER) {
      return Optional.of(FOREVER);
    }
    return Optional.of(Duration.ofMillis(Math.max(0, expiresAt - store.clock().millis())));
  }

  private long expiresAt(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (ttl.compareTo(FOREVER) >= 0) {
      return CacheStore.NEVER;
    }
    try {
      long millis = Math.max(1, ttl.toMillis());
      if (shared.ttlJitter > 0) {
        millis -= (long) (millis * shared.ttlJitter * ThreadLocalRandom.current().nextDouble());
      }
      return Math.addExact(store.clock().millis(), Math.max(1, millis));
    } catch (ArithmeticException e) {
      return CacheStore.NEVER;
    }
  }

  // ---- loading

  @Override
  @SuppressWarnings("unchecked")
  public <T> T remember(String key, Class<T> type, Duration ttl, Supplier<? extends T> loader) {
    Objects.requireNonNull(type, "type");
    return (T) load(key, type, ttl, loader);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T remember(String key, TypeRef<T> type, Duration ttl, Supplier<? extends T> loader) {
    Objects.requireNonNull(type, "type");
    return (T) load(key, type.type(), ttl, loader);
  }

  private Object load(String key, Type type, Duration ttl, Supplier<?> loader) {
    String storeKey = space.storeKey(key);
    Objects.requireNonNull(loader, "loader");
    expiresAt(ttl);
    Object cached = read(key, type);
    if (cached != null) {
      return cached;
    }
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = shared.loading.putIfAbsent(storeKey, mine);
    if (running != null) {
      return await(running, type);
    }
    try {
      Object loaded = runLoader(key, type, ttl, loader);
      mine.complete(loaded);
      return loaded;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      shared.loading.remove(storeKey, mine);
    }
  }

  private Object runLoader(String key, Type type, Duration ttl, Supplier<?> loader) {
    // Another caller may have finished loading between our miss and our claim.
    String storeKey = space.storeKey(key);
    Object cached = cachedValue(storeKey, type);
    if (cached != null) {
      return cached;
    }
    return shared.lockLease == null
        ? loadAndStore(key, type, ttl, loader)
        : loadUnderLock(key, storeKey, type, ttl, loader);
  }

  /** The live, readable value at a store key, or null. */
  private Object cachedValue(String storeKey, Type type) {
    Object stored = tags == null ? store.get(storeKey) : readStored(storeKey);
    return stored == null ? null : decodeHit(storeKey, stored, type);
  }

  /**
   * Runs the loader only while holding the key's lock in the store, so one process of all that
   * share the store loads; the others wait for its value, taking the lock themselves if it is freed
   * without one (the holder failed) or its lease runs out. Waiting is bounded: after twice the
   * lease a caller loads by itself.
   */
  private Object loadUnderLock(
      String key, String storeKey, Type type, Duration ttl, Supplier<?> loader) {
    String lockKey = space.reservedKey("lock", key);
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    long leaseMillis = Math.max(1, shared.lockLease.toMillis());
    long giveUpAt = System.nanoTime() + 2 * shared.lockLease.toNanos();
    long pause = FIRST_LOCK_PAUSE_NANOS;
    while (true) {
      if (store.tryLock(lockKey, token, store.clock().millis() + leaseMillis)) {
        try {
          // The previous holder may have stored the value just before it let go.
          Object cached = cachedValue(storeKey, type);
          return cached != null ? cached : loadAndStore(key, type, ttl, loader);
        } finally {
          unlockQuietly(lockKey, token);
        }
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(2 * pause, LONGEST_LOCK_PAUSE_NANOS);
      Object cached = cachedValue(storeKey, type);
      if (cached != null) {
        return cached;
      }
      if (System.nanoTime() - giveUpAt > 0 || Thread.currentThread().isInterrupted()) {
        log.warn("cache '{}': waited {} for another process to load {}; loading here too",
            shared.name, shared.lockLease.multipliedBy(2), printable(storeKey));
        return loadAndStore(key, type, ttl, loader);
      }
    }
  }

  private void unlockQuietly(String lockKey, byte[] token) {
    try {
      store.unlock(lockKey, token);
    } catch (RuntimeException e) {
      // The value (or the loader's failure) matters more; the lease frees the lock anyway.
      log.warn("cache '{}': could not release the load lock {}; it frees itself after {}: {}",
          shared.name, printable(lockKey), shared.lockLease, e.toString());
    }
  }

  private Object loadAndStore(String key, Type type, Duration ttl, Supplier<?> loader) {
    long start = System.nanoTime();
    Object loaded;
    try {
      loaded = loader.get();
    } catch (RuntimeException | Error e) {
      stats.loadFailed(System.nanoTime() - start);
      throw e;
    }
    stats.loadSucceeded(System.nanoTime() - start);
    if (loaded != null) {
      if (!StoredForm.rawClass(type).isInstance(loaded)) {
        throw new ClassCastException(
            "loader for key '" + key + "' returned a " + loaded.getClass().getName()
                + ", not a " + type.getTypeName());
      }
      put(key, loaded, ttl);
    }
    return loaded;
  }

  private static Object await(CompletableFuture<Object> running, Type type) {
    try {
      Object value = running.join();
      return value == null || StoredForm.rawClass(type).isInstance(value) ? value : null;
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  // ---- key listing

  @Override
  public Stream<String> keys(String glob) {
    Objects.requireNonNull(glob, "glob");
    return store.keys(space.storeGlob(glob)).map(space::userKey).filter(Objects::nonNull);
  }

  @Override
  public long deleteMatching(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (space.excludesChildren(glob)) {
      return store.deleteMatching(space.storeGlob(glob));
    }
    long deleted = 0;
    List<String> batch = new ArrayList<>(DELETE_BATCH);
    try (Stream<String> keys = keys(glob)) {
      for (var it = keys.iterator(); it.hasNext(); ) {
        batch.add(space.storeKey(it.next()));
        if (batch.size() == DELETE_BATCH) {
          deleted += store.deleteAll(batch);
          batch.clear();
        }
      }
    }
    return deleted + (batch.isEmpty() ? 0 : store.deleteAll(batch));
  }

  @Override
  public void clear() {
    if (tags != null) {
      invalidateTags(tags);
    } else if (space.isRoot()) {
      store.clear();
    } else {
      store.deleteMatching(space.everything());
    }
  }

  // ---- views

  @Override
  public CacheStats stats() {
    StoreStatistics counted = store.statistics();
    long size = counted.size() >= 0 ? counted.size() : shared.report.get().size();
    return stats.snapshot(counted, size);
  }

  @Override
  public StoreReport storeReport() {
    return shared.report.get();
  }

  @Override
  public Cache scoped(String kind, String id) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("scope kind must not be empty, e.g. \"tenant\"");
    }
    if (tags != null) {
      throw new IllegalStateException("scope first, then tag: cache.scoped(kind, id).tagged(...)");
    }
    return new DefaultCache(shared, space.child(kind, id), null, null);
  }

  @Override
  public Cache tagged(String... tags) {
    String[] sorted = checkTags(tags);
    if (this.tags != null) {
      throw new IllegalStateException("this view is already tagged; call tagged() on its parent");
    }
    return new DefaultCache(shared, space.child("tags", String.join(",", sorted)), space, sorted);
  }

  @Override
  public void invalidateTags(String... tags) {
    KeySpace scope = tagScope != null ? tagScope : space;
    List<String> keys = new ArrayList<>();
    for (String tag : checkTags(tags)) {
      keys.add(scope.reservedKey("tag", tag));
    }
    store.deleteAll(keys);
  }

  private static String[] checkTags(String... tags) {
    Objects.requireNonNull(tags, "tags");
    if (tags.length == 0) {
      throw new IllegalArgumentException("give at least one tag");
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String tag : tags) {
      Objects.requireNonNull(tag, "tag");
      if (tag.isEmpty()) {
        throw new IllegalArgumentException("tags must not be empty");
      }
      sorted.add(tag);
    }
    if (sorted.size() > 255) {
      throw new IllegalArgumentException("at most 255 tags per entry, got " + sorted.size());
    }
    return sorted.toArray(new String[0]);
  }

  @Override
  public AsyncCache async() {
    return new DefaultAsyncCache(this, shared.executor);
  }

  /** Checks a key the way every call does, so async calls fail before they are submitted. */
  void checkKey(String key) {
    space.storeKey(key);
  }

  /** Closes the store from the cache it was built with; a view shares it, so leaves it open. */
  @Override
  public void close() {
    if (space == KeySpace.ROOT && tags == null) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "Cache[" + shared.name + " on " + store.description() + ", values " + form.describe()
        + "]";
  }

  // ---- tags: each tag has a random token; an entry is live while every token it was written
  // with is still current. Invalidating deletes the token, and an evicted token also invalidates,
  // so a lost token can never resurrect old entries.

  private String[] tagKeys() {
    String[] keys = new String[tags.length];
    for (int i = 0; i < tags.length; i++) {
      keys[i] = tagScope.reservedKey("tag", tags[i]);
    }
    return keys;
  }

  private long[] currentTokens() {
    String[] keys = tagKeys();
    Map<String, Object> found = store.getAll(Arrays.asList(keys));
    long[] tokens = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      Object stored = found.get(keys[i]);
      if (stored == null) {
        long fresh = ThreadLocalRandom.current().nextLong();
        if (!store.putIfAbsent(keys[i], form.encodeToken(fresh), CacheStore.NEVER)) {
          stored = store.get(keys[i]);
        }
        // Still none: an invalidation raced us, or a fail-open store dropped the write. An
        // unsaved token makes the entry read as invalidated, which is right in both cases.
        tokens[i] = stored == null ? fresh : form.decodeToken(stored);
      } else {
        tokens[i] = form.decodeToken(stored);
      }
    }
    return tokens;
  }

  /** The payload of a live entry in this (tagged) view, or null. */
  private Object readStored(String storeKey) {
    return readAllStored(List.of(storeKey)).get(storeKey);
  }

  private Map<String, Object> readAllStored(Collection<String> storeKeys) {
    if (tags == null) {
      return store.getAll(storeKeys);
    }
    String[] tagKeys = tagKeys();
    List<String> all = new ArrayList<>(storeKeys);
    all.addAll(Arrays.asList(tagKeys));
    Map<String, Object> found = store.getAll(all);
    long[] current = new long[tagKeys.length];
    for (int i = 0; i < tagKeys.length; i++) {
      Object token = found.get(tagKeys[i]);
      if (token == null) {
        return Map.of();
      }
      try {
        current[i] = form.decodeToken(token);
      } catch (DecodingException e) {
        stats.error();
        return Map.of();
      }
    }
    Map<String, Object> live = new HashMap<>();
    for (String storeKey : storeKeys) {
      Object stored = found.get(storeKey);
      if (stored == null) {
        continue;
      }
      try {
        StoredForm.Tagged tagged = form.unwrapTagged(stored);
        if (Arrays.equals(tagged.tokens(), current)) {
          live.put(storeKey, tagged.payload());
        }
      } catch (DecodingException e) {
        stats.error();
      }
    }
    return live;
  }

  private static String printable(String storeKey) {
    return "'" + storeKey.replace(KeySpace.MARK, '/') + "'";
  }
}
