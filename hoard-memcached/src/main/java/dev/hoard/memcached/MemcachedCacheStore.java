package dev.hoard.memcached;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreGauge;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.memcached.internal.FolsomConnection;
import dev.hoard.memcached.internal.MemcachedConnection;
import dev.hoard.memcached.internal.MemcachedConnection.Item;
import dev.hoard.memcached.internal.MemcachedConnection.Outcome;
import dev.hoard.memcached.internal.MemcachedKeys;
import dev.hoard.memcached.internal.MemcachedValue;
import dev.hoard.memcached.internal.ServerAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store on one or more memcached servers, spread by consistent (ketama) hashing over the binary
 * protocol.
 *
 * <p><b>Values</b> carry a 10-byte header with their absolute expiry in milliseconds (see {@link
 * MemcachedValue}), so {@link #expiresAt} is exact and an entry is hidden the moment it expires by
 * {@link #clock()}. The server is told the expiry rounded up to whole seconds plus one second of
 * slack for its coarse clock (relative seconds up to 30 days, absolute unix time beyond), so it
 * never drops an entry early. Counters are stored the same way, the payload being ASCII decimal;
 * {@link #increment} is a compare-and-set loop, which makes counters signed and lets them carry
 * an exact expiry, at the price that another client's native {@code incr} refuses them.
 *
 * <p><b>Keys</b> become {@code prefix + namespaceVersion + ":" + key}; keys that memcached cannot
 * take (over 250 bytes, spaces, control or non-ASCII characters) are replaced by their SHA-256.
 *
 * <p><b>{@link #clear()}</b> never flushes the servers: it bumps the namespace version kept at
 * {@code prefix + "namespace"}, which orphans every entry of this prefix (memcached evicts them as
 * they age) and leaves other prefixes alone. Other processes see the bump within the namespace
 * refresh interval ({@link Builder#namespaceRefresh}); this one sees it at once.
 *
 * <p><b>Key scans</b> are impossible: memcached cannot list its keys, so {@link #keys} and {@link
 * #deleteMatching} throw {@link UnsupportedOperationException}.
 *
 * <p><b>Failures</b>: while a server is disconnected its keys move to the next server on the
 * ring: they read as misses and writes land there (and stay there when it comes back, so a
 * server that returns with its data intact may serve values older than those written meanwhile;
 * memcached servers normally come back empty). Keys on the other servers are untouched. A server
 * that hangs, or no server at all, makes calls fail with a {@link CacheException} within the
 * timeout. The namespace version follows the same rule; a process that knows it puts it back
 * where its key now lives, so losing a server does not empty the whole prefix.
 */
public final class MemcachedCacheStore implements CacheStore {

  private static final Logger LOG = LoggerFactory.getLogger(MemcachedCacheStore.class);

  /** The memcached item size limit unless the servers were started with another {@code -I}. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024 - 1024;

  private static final long THIRTY_DAYS_SECONDS = 30L * 24 * 60 * 60;
  private static final int MAX_ATTEMPTS = 10_000;

  private final MemcachedConnection connection;
  private final Clock clock;
  private final MemcachedKeys keys;
  private final Duration timeout;
  private final long namespaceRefreshNanos;
  private final int maxValueBytes;
  private final String description;
  private final List<ServerAddress> servers;

  private volatile long version;
  private volatile long versionReadAt;

  private MemcachedCacheStore(Builder builder) {
    this.clock = builder.clock;
    this.keys = new MemcachedKeys(builder.prefix);
    this.timeout = builder.timeout;
    this.namespaceRefreshNanos = builder.namespaceRefresh.toNanos();
    this.maxValueBytes = builder.maxValueBytes;
    List<ServerAddress> servers = new ArrayList<>();
    for (String server : builder.servers) {
      servers.add(ServerAddress.parse(server));
    }
    this.servers = List.copyOf(servers);
    this.connection =
        new FolsomConnection(servers, timeout, builder.connectTimeout, builder.connections);
    this.description = "memcached " + connection.description() + " prefix '" + keys.prefix() + "'";
  }

  /**
   * Each server's {@code stats}, tagged {@code server=host:port}: {@code hoard.memcached.bytes},
   * {@code hoard.memcached.items} ({@code curr_items}), {@code hoard.memcached.evictions} and
   * {@code hoard.memcached.hit.ratio} ({@code get_hits} over all gets since the server started),
   * {@code NaN} for a server that did not answer. The size stays -1: memcached cannot count the
   * items of one prefix, and its {@code curr_items} holds every client's items, older namespace
   * versions of this store's included.
   */
  @Override
  public StoreReport report() {
    Map<String, Map<String, String>> byServer = await(connection.stats(), "stats", "");
    List<StoreGauge> gauges = new ArrayList<>();
    for (ServerAddress server : servers) {
      String name = server.host() + ":" + server.port();
      Map<String, String> stats = byServer.getOrDefault(name, Map.of());
      Map<String, String> tags = Map.of("server", name);
      gauges.add(new StoreGauge("hoard.memcached.bytes", tags, number(stats, "bytes"), "bytes",
          "bytes the server uses for items, every client's"));
      gauges.add(new StoreGauge("hoard.memcached.items", tags, number(stats, "curr_items"), null,
          "items the server holds, every client's"));
      gauges.add(new StoreGauge("hoard.memcached.evictions", tags, number(stats, "evictions"),
          null, "items the server evicted to make room since it started"));
      double hits = number(stats, "get_hits");
      double gets = hits + number(stats, "get_misses");
      gauges.add(new StoreGauge("hoard.memcached.hit.ratio", tags,
          gets > 0 ? hits / gets : Double.NaN, null,
          "the server's gets that found the item, since it started, every client's"));
    }
    return new StoreReport(-1, gauges);
  }

  private static double number(Map<String, String> stats, String name) {
    String value = stats.get(name);
    try {
      return value == null ? Double.NaN : Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Starts configuring a memcached store. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return EnumSet.of(StoreCapability.SHARED);
  }

  @Override
  public String description() {
    return description;
  }

  // ---- keys and the namespace version

  private String storeKey(String key) {
    Objects.requireNonNull(key, "key");
    return keys.dataKey(currentVersion(), key);
  }

  /**
   * The namespace version, re-read from the server once the refresh interval has passed. A failed
   * re-read keeps the version known so far: the server holding it is down, so nobody can bump it.
   */
  private long currentVersion() {
    long known = version;
    long now = System.nanoTime();
    if (known > 0 && now - versionReadAt < namespaceRefreshNanos) {
      return known;
    }
    try {
      long read = readVersion();
      version = read;
      versionReadAt = now;
      return read;
    } catch (CacheException e) {
      if (known > 0) {
        LOG.debug("keeping namespace version {} of {}: {}", known, description, e.getMessage());
        return known;
      }
      throw e;
    }
  }

  /**
   * Reads the version, creating it when absent. A process that already knows a version puts that
   * one back (the key was evicted, or its server died and the key now maps to the next server),
   * so losing one server does not orphan the whole prefix; a new process starts from a random
   * version, so an evicted key never comes back with an old value.
   */
  private long readVersion() {
    String versionKey = keys.versionKey();
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Item item = await(connection.get(versionKey), "read the namespace version", versionKey);
      if (item != null) {
        return parseVersion(item.value());
      }
      long known = version;
      long first = known > 0 ? known : ThreadLocalRandom.current().nextLong(1, 1L << 52);
      byte[] fresh = CounterFormat.encode(first);
      if (await(connection.add(versionKey, fresh, 0), "create the namespace version", versionKey)) {
        return parseVersion(fresh);
      }
    }
    throw contended("read the namespace version", versionKey);
  }

  private long parseVersion(byte[] value) {
    String text = new String(value, StandardCharsets.US_ASCII).trim();
    try {
      long parsed = Long.parseLong(text);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(
        "memcached key '" + keys.versionKey() + "' of " + description + " holds '" + text
            + "', not a namespace version; another program writes under this prefix: choose"
            + " another prefix");
  }

  // ---- expiry

  /** Memcached's exptime for an absolute expiry: never before the entry's real expiry. */
  private int exptime(long expiresAt) {
    if (expiresAt == NEVER) {
      return 0;
    }
    long seconds = Math.max(1, Math.floorDiv(expiresAt - clock.millis() + 999, 1000) + 1);
    if (seconds <= THIRTY_DAYS_SECONDS) {
      return (int) seconds;
    }
    long absolute = Math.floorDiv(expiresAt + 999, 1000) + 1;
    return absolute > 0xFFFF_FFFFL ? 0 : (int) absolute;
  }

  // ---- operations

  @Override
  public Object get(String key) {
    return payload(await(connection.get(storeKey(key)), "get", key));
  }

  /**
   * {@inheritDoc} The namespace version is re-read at most once per {@code namespaceRefresh},
   * on the calling thread; every other call only sends its command.
   */
  @Override
  public CompletionStage<Object> getAsync(String key) {
    return reply(connection.get(storeKey(key)), "get", key).thenApply(this::payload);
  }

  private Object payload(Item item) {
    if (item == null) {
      return null;
    }
    MemcachedValue.Entry entry = MemcachedValue.decode(item.value());
    return entry.liveAt(clock.millis()) ? entry.payload() : null;
  }

  @Override
  public Map<String, Object> getAll(Collection<String> cacheKeys) {
    Map<String, String> byStoreKey = new LinkedHashMap<>();
    for (String key : cacheKeys) {
      byStoreKey.put(storeKey(key), key);
    }
    if (byStoreKey.isEmpty()) {
      return new HashMap<>();
    }
    Map<String, byte[]> found = await(
        connection.getAll(new ArrayList<>(byStoreKey.keySet())), "get", cacheKeys.size() + " keys");
    long now = clock.millis();
    Map<String, Object> live = new HashMap<>();
    found.forEach((storeKey, value) -> {
      MemcachedValue.Entry entry = MemcachedValue.decode(value);
      if (entry.liveAt(now)) {
        live.put(byStoreKey.get(storeKey), entry.payload());
      }
    });
    return live;
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    byte[] framed = frame(key, value, expiresAt);
    await(connection.set(storeKey(key), framed, exptime(expiresAt)), "put", key);
  }

  @Override
  public CompletionStage<Void> putAsync(String key, Object value, long expiresAt) {
    byte[] framed = frame(key, value, expiresAt);
    return reply(connection.set(storeKey(key), framed, exptime(expiresAt)), "put", key);
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    int exptime = exptime(expiresAt);
    List<CompletableFuture<Void>> writes = new ArrayList<>(entries.size());
    entries.forEach((key, value) ->
        writes.add(connection.set(storeKey(key), frame(key, value, expiresAt), exptime)));
    await(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)),
        "put", entries.size() + " keys");
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    byte[] framed = frame(key, value, expiresAt);
    String storeKey = storeKey(key);
    int exptime = exptime(expiresAt);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await(connection.add(storeKey, framed, exptime), "putIfAbsent", key)) {
        return true;
      }
      // The server still holds it; it may be an entry that expired by our clock but not by the
      // server's coarser one, which must count as absent. Replace that one atomically.
      Item item = await(connection.get(storeKey), "putIfAbsent", key);
      if (item == null) {
        continue;
      }
      if (MemcachedValue.decode(item.value()).liveAt(clock.millis())) {
        return false;
      }
      Outcome outcome = await(
          connection.compareAndSet(storeKey, framed, exptime, item.cas()), "putIfAbsent", key);
      if (outcome == Outcome.STORED) {
        return true;
      }
    }
    throw contended("putIfAbsent", key);
  }

  @Override
  public boolean delete(String key) {
    return await(connection.delete(storeKey(key)), "delete", key);
  }

  @Override
  public CompletionStage<Boolean> deleteAsync(String key) {
    return reply(connection.delete(storeKey(key)), "delete", key);
  }

  @Override
  public long deleteAll(Collection<String> cacheKeys) {
    List<CompletableFuture<Boolean>> deletes = new ArrayList<>(cacheKeys.size());
    for (String key : cacheKeys) {
      deletes.add(connection.delete(storeKey(key)));
    }
    await(CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)),
        "delete", cacheKeys.size() + " keys");
    return deletes.stream().filter(CompletableFuture::join).count();
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    String storeKey = storeKey(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Item item = await(connection.get(storeKey), "increment", key);
      long now = clock.millis();
      MemcachedValue.Entry entry = item == null ? null : MemcachedValue.decode(item.value());
      if (entry == null || !entry.liveAt(now)) {
        byte[] fresh = MemcachedValue.encode(expiresAtIfCreated, CounterFormat.encode(delta));
        int exptime = exptime(expiresAtIfCreated);
        boolean created = item == null
            ? await(connection.add(storeKey, fresh, exptime), "increment", key)
            : await(connection.compareAndSet(storeKey, fresh, exptime, item.cas()),
                "increment", key) == Outcome.STORED;
        if (created) {
          return delta;
        }
        continue;
      }
      long next;
      try {
        next = Math.addExact(CounterFormat.decode(key, entry.payload()), delta);
      } catch (ArithmeticException e) {
        throw new IllegalStateException(
            "incrementing '" + key + "' by " + delta + " overflows a 64-bit counter", e);
      }
      byte[] updated = MemcachedValue.encode(entry.expiresAt(), CounterFormat.encode(next));
      Outcome outcome = await(
          connection.compareAndSet(storeKey, updated, exptime(entry.expiresAt()), item.cas()),
          "increment", key);
      if (outcome == Outcome.STORED) {
        return next;
      }
    }
    throw contended("increment", key);
  }

  /** Rewrites the entry with its new expiry under CAS, so the header and the server agree. */
  @Override
  public boolean touch(String key, long expiresAt) {
    String storeKey = storeKey(key);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Item item = await(connection.get(storeKey), "touch", key);
      if (item == null) {
        return false;
      }
      MemcachedValue.Entry entry = MemcachedValue.decode(item.value());
      if (!entry.liveAt(clock.millis())) {
        return false;
      }
      Outcome outcome = await(connection.compareAndSet(
          storeKey, MemcachedValue.encode(expiresAt, entry.payload()), exptime(expiresAt),
          item.cas()), "touch", key);
      if (outcome != Outcome.EXISTS) {
        return outcome == Outcome.STORED;
      }
    }
    throw contended("touch", key);
  }

  @Override
  public long expiresAt(String key) {
    Item item = await(connection.get(storeKey(key)), "expiresAt", key);
    if (item == null) {
      return ABSENT;
    }
    MemcachedValue.Entry entry = MemcachedValue.decode(item.value());
    return entry.liveAt(clock.millis()) ? entry.expiresAt() : ABSENT;
  }

  @Override
  public Stream<String> keys(Glob glob) {
    throw cannotList("keys(" + glob + ")");
  }

  @Override
  public long deleteMatching(Glob glob) {
    throw cannotList("deleteMatching(" + glob + ")");
  }

  private UnsupportedOperationException cannotList(String call) {
    return new UnsupportedOperationException(
        call + " is impossible on " + description + ": memcached cannot list its keys. Use"
            + " clear() for the whole prefix, tags (cache.tagged(...)) for groups of entries, or a"
            + " store with key scans (redis, jdbc, file, memory)");
  }

  /** Bumps the namespace version: one increment on one server, whatever the number of entries. */
  @Override
  public void clear() {
    String versionKey = keys.versionKey();
    long initial = ThreadLocalRandom.current().nextLong(1, 1L << 52);
    long bumped = await(connection.incrementOrCreate(versionKey, 1, initial, 0),
        "clear (bump the namespace version)", versionKey);
    version = bumped;
    versionReadAt = System.nanoTime();
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return description;
  }

  // ---- plumbing

  private byte[] frame(String key, Object value, long expiresAt) {
    Objects.requireNonNull(key, "key");
    if (!(value instanceof byte[] bytes)) {
      throw new IllegalArgumentException(
          "a memcached store keeps byte[] values, got "
              + (value == null ? "null" : value.getClass().getName()) + " for '" + key + "'");
    }
    if (bytes.length + MemcachedValue.HEADER_BYTES > maxValueBytes) {
      throw new IllegalArgumentException(
          "value for '" + key + "' is " + bytes.length + " bytes; " + description + " takes at"
              + " most " + (maxValueBytes - MemcachedValue.HEADER_BYTES) + " (set maxValueSize if"
              + " the servers run with a larger -I)");
    }
    return MemcachedValue.encode(expiresAt, bytes);
  }

  /** The reply as a stage that fails as {@link #await} would throw. */
  private <T> CompletableFuture<T> reply(
      CompletableFuture<T> future, String operation, String key) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
        return;
      }
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      result.completeExceptionally(cause instanceof IllegalArgumentException bad
          ? new IllegalArgumentException(bad.getMessage(), bad)
          : new CacheException("memcached " + operation + " of '" + key + "' failed on "
              + description + ": " + cause, cause));
    });
    return result;
  }

  private <T> T await(CompletableFuture<T> future, String operation, String key) {
    try {
      // folsom times requests out itself; this bound only guards against a lost completion.
      return future.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException bad) {
        throw new IllegalArgumentException(bad.getMessage(), bad);
      }
      throw new CacheException(
          "memcached " + operation + " of '" + key + "' failed on " + description + ": " + cause,
          cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new CacheException(
          "memcached " + operation + " of '" + key + "' timed out on " + description, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException(
          "interrupted during memcached " + operation + " of '" + key + "' on " + description, e);
    }
  }

  private CacheException contended(String operation, String key) {
    return new CacheException(
        "memcached " + operation + " of '" + key + "' gave up after " + MAX_ATTEMPTS
            + " compare-and-set conflicts on " + description);
  }

  /** Configures a {@link MemcachedCacheStore}. */
  public static final class Builder {
    private final List<String> servers = new ArrayList<>();
    private String prefix = ReservedKeySpace.CACHE.defaultPrefix();
    private Duration timeout = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration namespaceRefresh = Duration.ofSeconds(1);
    private int connections = 1;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Adds a server, {@code host:port}; keys are spread over all servers by ketama hashing. */
    public Builder server(String hostAndPort) {
      ServerAddress.parse(hostAndPort);
      servers.add(hostAndPort);
      return this;
    }

    /** Starts every key; keeps several caches apart on shared servers. Default {@code hoard:c:}. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      new MemcachedKeys(prefix);
      return this;
    }

    /** How long a request may take before it fails with a {@code CacheException}. Default 1s. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How long opening waits for every server to accept a connection, and how long one connection
     * attempt may take. A server still down after that is retried in the background; calls for its
     * keys fail meanwhile. Default 5s.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * How stale this process's copy of the namespace version may get, which bounds how long it
     * keeps reading entries another process cleared. Zero re-reads it on every call (one more
     * request each). Default 1s.
     */
    public Builder namespaceRefresh(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("namespaceRefresh must not be negative: " + interval);
      }
      this.namespaceRefresh = interval;
      return this;
    }

    /** Connections per server. Default 1 (requests are pipelined). */
    public Builder connections(int connections) {
      if (connections < 1) {
        throw new IllegalArgumentException("connections must be at least 1, was " + connections);
      }
      this.connections = connections;
      return this;
    }

    /** The servers' item size limit ({@code memcached -I}); larger values fail before sending. */
    public Builder maxValueSize(long bytes) {
      if (bytes <= MemcachedValue.HEADER_BYTES || bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxValueSize must be between "
            + (MemcachedValue.HEADER_BYTES + 1) + " and " + Integer.MAX_VALUE + ", was " + bytes);
      }
      this.maxValueBytes = (int) bytes;
      return this;
    }

    /** The clock expiry is measured with. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Connects; waits up to the connect timeout for the servers. */
    public MemcachedCacheStore build() {
      if (servers.isEmpty()) {
        throw new IllegalArgumentException(
            "give at least one memcached server, e.g. builder().server(\"127.0.0.1:11211\")");
      }
      return new MemcachedCacheStore(this);
    }
  }
}
