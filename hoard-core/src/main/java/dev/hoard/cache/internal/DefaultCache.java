package dev.hoard.cache.internal;

import dev.hoard.cache.AsyncCache;
import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.TypeRef;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.codec.DecodingException;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Cache}: key spaces, typed values, TTLs, tags and statistics
 * over any {@link CacheStore}; {@link SingleFlightLoader} runs {@code remember}'s loaders and
 * {@link TagTokens} keeps a tagged view's entries apart. A view is another instance sharing the
 * settings, statistics and loader with a different key space (and, for tagged views, a tag set).
 */
public final class DefaultCache implements Cache {

  private static final Logger log = LoggerFactory.getLogger(DefaultCache.class);
  private static final int DELETE_BATCH = 500;

  private final CacheSettings settings;
  private final CacheStore store;
  private final ValueEncoding encoding;
  private final StatsRecorder stats;
  private final SingleFlightLoader singleFlight;
  private final RecentReport report;
  private final KeySpace space;
  /** Null in an untagged view. */
  private final TagTokens tags;
  /** Made on first use; racing threads may each make one, which is harmless. */
  private AsyncCache async;

  private DefaultCache(CacheSettings settings) {
    this.settings = settings;
    this.store = settings.store();
    this.encoding = ValueEncoding.of(settings.codec());
    this.stats = new StatsRecorder();
    this.singleFlight =
        new SingleFlightLoader(settings.name(), store, settings.rememberLockLease());
    this.report = new RecentReport(store);
    this.space = KeySpace.ROOT;
    this.tags = null;
  }

  private DefaultCache(DefaultCache parent, KeySpace space, TagTokens tags) {
    this.settings = parent.settings;
    this.store = parent.store;
    this.encoding = parent.encoding;
    this.stats = parent.stats;
    this.singleFlight = parent.singleFlight;
    this.report = parent.report;
    this.space = space;
    this.tags = tags;
  }

  /** Creates a root cache; its views share what it was created with. */
  public static Cache create(CacheSettings settings) {
    return new DefaultCache(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  public String name() {
    return settings.name();
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

  /** A typed read through this view: decoded, counted. */
  Object read(String key, Type type) {
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
      value = store.getDecoded(storeKey, type, encoding);
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

  /** A stored value decoded as {@code type} and counted as a hit, or a counted unreadable miss. */
  Object decodeHit(String storeKey, Object stored, Type type) {
    try {
      Object value = encoding.decode(stored, type);
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
        settings.name(), KeySpace.printable(storeKey), type.getTypeName(), e.getMessage());
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
    put(key, value, settings.defaultTtl());
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
    long[] tokens = tags == null ? null : tags.current();
    Map<String, Object> stored = new HashMap<>(entries.size() * 2);
    entries.forEach((key, value) -> {
      Objects.requireNonNull(value, () -> "value for key '" + key + "'");
      Object encoded = encoding.encode(value);
      stored.put(space.storeKey(key),
          tokens == null ? encoded : encoding.wrapTagged(tokens, encoded));
    });
    store.putAll(stored, expiresAt);
    stats.puts(stored.size());
  }

  private Object toStored(Object value) {
    Object encoded = encoding.encode(value);
    return tags == null ? encoded : tags.wrap(encoded);
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

  /** The absolute expiry of a write with this TTL, jittered; refuses a TTL that is not positive. */
  long expiresAt(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (ttl.compareTo(FOREVER) >= 0) {
      return CacheStore.NEVER;
    }
    try {
      long millis = Math.max(1, ttl.toMillis());
      double jitter = settings.ttlJitter();
      if (jitter > 0) {
        millis -= (long) (millis * jitter * ThreadLocalRandom.current().nextDouble());
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

  /** {@code remember} for any type, single-flight. */
  Object load(String key, Type type, Duration ttl, Supplier<?> loader) {
    String storeKey = space.storeKey(key);
    Objects.requireNonNull(loader, "loader");
    expiresAt(ttl);
    Object cached = read(key, type);
    if (cached != null) {
      return cached;
    }
    return singleFlight.load(new Remember(key, storeKey, type, ttl, loader));
  }

  /** A {@code remember} call that missed, for the single-flight loader. */
  private final class Remember implements SingleFlightLoader.Load {
    private final String key;
    private final String storeKey;
    private final Type type;
    private final Duration ttl;
    private final Supplier<?> loader;

    Remember(String key, String storeKey, Type type, Duration ttl, Supplier<?> loader) {
      this.key = key;
      this.storeKey = storeKey;
      this.type = type;
      this.ttl = ttl;
      this.loader = loader;
    }

    @Override
    public String storeKey() {
      return storeKey;
    }

    @Override
    public String lockKey() {
      return space.reservedKey("lock", key);
    }

    @Override
    public Type type() {
      return type;
    }

    @Override
    public Object cached() {
      Object stored = tags == null ? store.get(storeKey) : readStored(storeKey);
      return stored == null ? null : decodeHit(storeKey, stored, type);
    }

    @Override
    public Object loadAndStore() {
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
        if (!ValueEncoding.rawClass(type).isInstance(loaded)) {
          throw new ClassCastException(
              "loader for key '" + key + "' returned a " + loaded.getClass().getName()
                  + ", not a " + type.getTypeName());
        }
        put(key, loaded, ttl);
      }
      return loaded;
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
      invalidateTags(tags.tags());
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
    long size = counted.size() >= 0 ? counted.size() : report.get().size();
    return stats.snapshot(counted, size);
  }

  @Override
  public StoreReport storeReport() {
    return report.get();
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
    return new DefaultCache(this, space.child(kind, id), null);
  }

  @Override
  public Cache tagged(String... tags) {
    String[] sorted = TagTokens.checked(tags);
    if (this.tags != null) {
      throw new IllegalStateException("this view is already tagged; call tagged() on its parent");
    }
    return new DefaultCache(this, space.child("tags", String.join(",", sorted)),
        new TagTokens(store, encoding, stats, space, sorted));
  }

  @Override
  public void invalidateTags(String... tags) {
    KeySpace scope = this.tags != null ? this.tags.scope() : space;
    List<String> keys = new ArrayList<>();
    for (String tag : TagTokens.checked(tags)) {
      keys.add(TagTokens.tokenKey(scope, tag));
    }
    store.deleteAll(keys);
  }

  @Override
  public AsyncCache async() {
    AsyncCache view = async;
    if (view == null) {
      view = new DefaultAsyncCache(this, settings.executor());
      async = view;
    }
    return view;
  }

  /** The store key of a user key; checks the key the way every call does. */
  String storeKey(String key) {
    return space.storeKey(key);
  }

  /** Whether this view wraps its entries with tag tokens (whose reads take several store calls). */
  boolean isTagged() {
    return tags != null;
  }

  CacheStore store() {
    return store;
  }

  ValueEncoding encoding() {
    return encoding;
  }

  StatsRecorder statsRecorder() {
    return stats;
  }

  Duration defaultTtl() {
    return settings.defaultTtl();
  }

  SingleFlightLoader singleFlight() {
    return singleFlight;
  }

  /** Whether {@code remember} takes the store's lock, which the asynchronous path cannot wait on. */
  boolean locksAcrossProcesses() {
    return settings.rememberLockLease() != null;
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
    return "Cache[" + settings.name() + " on " + store.description() + ", values "
        + encoding.describe() + "]";
  }

  /** The payload of a live entry in this (tagged) view, or null. */
  private Object readStored(String storeKey) {
    return readAllStored(List.of(storeKey)).get(storeKey);
  }

  private Map<String, Object> readAllStored(Collection<String> storeKeys) {
    return tags == null ? store.getAll(storeKeys) : tags.live(storeKeys);
  }
}
