package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreGauge;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ConnectionListener;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.ValueWithExpiry;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import dev.hoard.redis.internal.GcraScript;
import dev.hoard.redis.internal.LuaScript;
import dev.hoard.redis.internal.RedisErrors;
import dev.hoard.redis.internal.RedisLink;
import dev.hoard.redis.internal.ScanPattern;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A {@link CacheStore} on Redis (standalone, Sentinel or Cluster) through one shared, multiplexed
 * Lettuce connection. Every key is stored under the store's prefix ({@code hoard:} unless the URL
 * says {@code prefix=…}), values are the caller's bytes, and expiry is Redis's own, set as an
 * absolute time ({@code PXAT}/{@code PEXPIREAT}) so the server's clock decides when an entry dies.
 *
 * <p>Each call costs at most one round trip: {@code getAll} is one {@code MGET} (one per hash slot,
 * sent together, on a Cluster), {@code putAll} pipelines its {@code SET}s, {@code deleteAll} is one
 * {@code UNLINK}, and multi-step operations are Lua scripts run by SHA. {@link #keys}, {@link
 * #deleteMatching} and {@link #clear} walk the prefix with {@code SCAN} (every master of a Cluster)
 * and delete with {@code UNLINK} in pages; the store never sends {@code KEYS} or {@code FLUSHDB}.
 * Like any {@code SCAN}, {@link #keys} may report a key twice if the server resized its table
 * during the walk.
 *
 * <p><b>Replicas.</b> Redis replicates asynchronously: a write the master acknowledged and then
 * lost in a crash, before any replica copied it, is gone after the failover. With {@code
 * replicas=N} in the URL every single-key write and batch ({@code put}, {@code putIfAbsent},
 * {@code delete}, {@code increment}, {@code touch}, {@code putAll}, {@code deleteAll}, {@code
 * unlock}) sends {@code WAIT N} on the same connection right behind it and succeeds only once N
 * replicas hold it; otherwise it fails after at most half the timeout, although the master kept
 * it. {@code deleteMatching} and {@code clear} do not wait.
 *
 * <p>Failures (unreachable server, timeout) are {@link CacheException}s naming the store and the
 * operation. On a Cluster, a failure that may mean a node is gone or frozen also refreshes the
 * topology (at most once a second), so commands reach a promoted replica about a second after
 * the promotion (plus one timeout if the old master is frozen rather than gone). Open one with {@link dev.hoard.cache.Caches#open} and a {@code redis://}, {@code
 * rediss://}, {@code redis-sentinel://} or {@code redis-cluster://} URL.
 */
public final class RedisCacheStore implements CacheStore {

  /** The key prefix when the URL gives none. */
  public static final String DEFAULT_PREFIX = ReservedKeySpace.CACHE.defaultPrefix();

  private static final int SCAN_PAGE = 1000;

  /**
   * The most keys of the whole database a report walks to count this store's: SCAN visits every
   * key of the database, the other prefixes' too, so a larger database is not counted at all.
   */
  static final long COUNTED_DATABASE_KEYS = 100 * SCAN_PAGE;

  /** Creates the counter at zero with the given expiry, or adds to it keeping its expiry. */
  private static final LuaScript INCREMENT = new LuaScript("""
      local created = redis.call('EXISTS', KEYS[1]) == 0
      local value = redis.call('INCRBY', KEYS[1], ARGV[1])
      if created and ARGV[2] ~= '' then
        redis.call('PEXPIREAT', KEYS[1], ARGV[2])
      end
      return value
      """);

  /** Removes the expiry of a live entry; PERSIST alone cannot tell "no expiry" from "absent". */
  private static final LuaScript PERSIST_IF_PRESENT = new LuaScript("""
      if redis.call('EXISTS', KEYS[1]) == 1 then
        redis.call('PERSIST', KEYS[1])
        return 1
      end
      return 0
      """);

  private final RedisLink link;
  private final RedisClusterAsyncCommands<byte[], byte[]> redis;
  private final Clock clock;
  private final String prefix;
  private final byte[] prefixBytes;
  private final String description;
  private final long awaitMillis;
  private volatile boolean serverHasExpireTime = true;
  private RedisInvalidationBus bus;

  /** Takes over {@code link}; {@code prefix} is not empty (the provider or builder checks). */
  RedisCacheStore(RedisLink link, String prefix, Clock clock) {
    this.link = link;
    this.redis = link.commands();
    this.clock = clock;
    this.prefix = prefix;
    this.prefixBytes = prefix.getBytes(UTF_8);
    this.description = "redis " + link + " (prefix '" + prefix + "')";
    // Lettuce times the command out itself; this bound only guards against a future never completed.
    this.awaitMillis = link.timeout().toMillis() + 1000;
  }

  /**
   * Starts configuring a store on a standalone or Sentinel {@link RedisClient} the application
   * created (with its URI) and keeps: closing the store leaves the client running.
   */
  public static Builder builder(RedisClient client) {
    return new Builder(Objects.requireNonNull(client, "client"), null);
  }

  /**
   * Starts configuring a store on a {@link RedisClusterClient} the application created and keeps:
   * closing the store leaves the client running.
   */
  public static Builder builder(RedisClusterClient client) {
    return new Builder(null, Objects.requireNonNull(client, "client"));
  }

  /** Configures a {@link RedisCacheStore} on an application's Lettuce client. */
  public static final class Builder extends RedisStoreBuilder<Builder> {

    private Builder(RedisClient client, RedisClusterClient clusterClient) {
      super(client, clusterClient, DEFAULT_PREFIX);
    }

    /**
     * Connects on the client.
     *
     * @throws CacheException if Redis cannot be reached
     */
    public RedisCacheStore build() {
      return new RedisCacheStore(connect(), prefix(), clock());
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    EnumSet<StoreCapability> capabilities = EnumSet.of(StoreCapability.KEY_SCAN,
        StoreCapability.SHARED, StoreCapability.PERSISTENT, StoreCapability.LOCKS,
        StoreCapability.GCRA);
    if (link.isCluster()) {
      capabilities.add(StoreCapability.FAILURE_DOMAINS);
    }
    return capabilities;
  }

  /** On a Cluster, the {@code host:port} of the master that owns the key's slot. */
  @Override
  public String failureDomain(String key) {
    String master = link.masterServing(redisKey(key));
    return master != null ? master : WHOLE_STORE;
  }

  /** Hears Lettuce reconnect each connection; on a Cluster it names the node. */
  @Override
  public void addConnectionListener(ConnectionListener listener) {
    boolean cluster = link.isCluster();
    link.onConnected(address -> listener.connected(
        cluster && address instanceof InetSocketAddress node
            ? node.getHostString() + ":" + node.getPort()
            : WHOLE_STORE));
  }

  @Override
  public String description() {
    return description;
  }

  /** The prefix this store puts in front of every key. */
  public String prefix() {
    return prefix;
  }

  @Override
  public Object get(String key) {
    return await("get", key, () -> redis.get(redisKey(key)));
  }

  @Override
  public CompletionStage<Object> getAsync(String key) {
    byte[] redisKey = redisKey(key);
    return widen(reply("get", key, () -> redis.get(redisKey)));
  }

  /** {@code GET} and {@code PEXPIRETIME} sent together: one round trip. */
  @Override
  public ValueWithExpiry getWithExpiry(String key) {
    if (!serverHasExpireTime) {
      return CacheStore.super.getWithExpiry(key);
    }
    byte[] redisKey = redisKey(key);
    CompletableFuture<byte[]> value = dispatch("get", key, () -> redis.get(redisKey));
    CompletableFuture<Long> expiry =
        dispatch("get", key, () -> redis.pexpiretime(redisKey));
    byte[] bytes = await("get", key, () -> value);
    long expiresAt;
    try {
      expiresAt = expiryFrom(await("get", key, () -> expiry), 0);
    } catch (CacheException e) {
      if (!isUnknownCommand(e)) {
        throw e;
      }
      serverHasExpireTime = false;
      return CacheStore.super.getWithExpiry(key);
    }
    // Deleted or expired between the two commands: gone now, so report it gone.
    return bytes == null || expiresAt == ABSENT ? null : new ValueWithExpiry(bytes, expiresAt);
  }

  /** {@code GET} and {@code PEXPIRETIME} sent together, without waiting. */
  @Override
  public CompletionStage<ValueWithExpiry> getWithExpiryAsync(String key) {
    if (!serverHasExpireTime) {
      return CacheStore.super.getWithExpiryAsync(key);
    }
    byte[] redisKey = redisKey(key);
    CompletableFuture<byte[]> value = reply("get", key, () -> redis.get(redisKey));
    CompletableFuture<Long> expiry = reply("get", key, () -> redis.pexpiretime(redisKey));
    return value.thenCombine(expiry, (bytes, reply) -> {
      long expiresAt = expiryFrom(reply, 0);
      return bytes == null || expiresAt == ABSENT ? null : new ValueWithExpiry(bytes, expiresAt);
    });
  }

  /** One {@code MGET} and a {@code PEXPIRETIME} per key, all sent together: one round trip. */
  @Override
  public Map<String, ValueWithExpiry> getAllWithExpiry(Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    if (distinct.isEmpty()) {
      return new HashMap<>();
    }
    if (!serverHasExpireTime) {
      return CacheStore.super.getAllWithExpiry(distinct);
    }
    String what = "getAll of " + distinct.size() + " keys";
    byte[][] redisKeys = distinct.stream().map(this::redisKey).toArray(byte[][]::new);
    CompletableFuture<List<KeyValue<byte[], byte[]>>> values =
        dispatch(what, () -> redis.mget(redisKeys));
    List<CompletableFuture<Long>> expiries = new ArrayList<>(redisKeys.length);
    for (byte[] redisKey : redisKeys) {
      expiries.add(dispatch(what, () -> redis.pexpiretime(redisKey)));
    }
    List<KeyValue<byte[], byte[]>> found = await(what, () -> values);
    Map<String, ValueWithExpiry> entries = new HashMap<>();
    try {
      for (int i = 0; i < found.size(); i++) {
        CompletableFuture<Long> expiry = expiries.get(i);
        long expiresAt = expiryFrom(await(what, () -> expiry), 0);
        if (found.get(i).hasValue() && expiresAt != ABSENT) {
          entries.put(distinct.get(i), new ValueWithExpiry(found.get(i).getValue(), expiresAt));
        }
      }
    } catch (CacheException e) {
      if (!isUnknownCommand(e)) {
        throw e;
      }
      serverHasExpireTime = false;
      return CacheStore.super.getAllWithExpiry(distinct);
    }
    return entries;
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    Supplier<CompletableFuture<String>> set = set(key, value, expiresAt);
    await("put", key, set);
  }

  @Override
  public CompletionStage<Void> putAsync(String key, Object value, long expiresAt) {
    Supplier<CompletableFuture<String>> set = set(key, value, expiresAt);
    return reply("put", key, set).thenApply(ok -> null);
  }

  /** The SET of a put; the value is checked now, on the caller's thread. */
  private Supplier<CompletableFuture<String>> set(String key, Object value, long expiresAt) {
    byte[] bytes = bytes(key, value);
    byte[] redisKey = redisKey(key);
    return () -> link.write(redisKey, commands -> expiresAt == NEVER
        ? commands.set(redisKey, bytes)
        : commands.set(redisKey, bytes, SetArgs.Builder.pxAt(epochMillis(expiresAt))));
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    return await("putIfAbsent", key, setIfAbsent(key, value, expiresAt)) != null;
  }

  @Override
  public CompletionStage<Boolean> putIfAbsentAsync(String key, Object value, long expiresAt) {
    return reply("putIfAbsent", key, setIfAbsent(key, value, expiresAt)).thenApply(Objects::nonNull);
  }

  private Supplier<CompletableFuture<String>> setIfAbsent(
      String key, Object value, long expiresAt) {
    byte[] bytes = bytes(key, value);
    SetArgs onlyIfAbsent = expiresAt == NEVER
        ? SetArgs.Builder.nx()
        : SetArgs.Builder.nx().pxAt(epochMillis(expiresAt));
    byte[] redisKey = redisKey(key);
    return () -> link.write(redisKey, commands -> commands.set(redisKey, bytes, onlyIfAbsent));
  }

  /** {@code SET key token NX PXAT expiresAt}: the lock and its lease in one command. */
  @Override
  public boolean tryLock(String key, byte[] token, long expiresAt) {
    return putIfAbsent(key, token, expiresAt);
  }

  /** A Lua script compares the token and deletes in one step, so it never frees another's lock. */
  @Override
  public boolean unlock(String key, byte[] token) {
    byte[] redisKey = redisKey(key);
    Long released = await("unlock", key, () -> link.write(redisKey, commands ->
        LuaScript.DELETE_IF_HOLDING.run(
            commands, ScriptOutputType.INTEGER, new byte[][] {redisKey}, token)));
    return released == 1;
  }

  @Override
  public boolean delete(String key) {
    return await("delete", key, unlink(key)) > 0;
  }

  @Override
  public CompletionStage<Boolean> deleteAsync(String key) {
    return reply("delete", key, unlink(key)).thenApply(removed -> removed > 0);
  }

  private Supplier<CompletableFuture<Long>> unlink(String key) {
    byte[] redisKey = redisKey(key);
    return () -> link.write(redisKey, commands -> commands.unlink(redisKey));
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    try {
      return await("increment", key, incrementScript(key, delta, expiresAtIfCreated));
    } catch (CacheException e) {
      throw incrementRefused(key, delta, e);
    }
  }

  @Override
  public CompletionStage<Long> incrementAsync(String key, long delta, long expiresAtIfCreated) {
    CompletableFuture<Long> result = new CompletableFuture<>();
    reply("increment", key, incrementScript(key, delta, expiresAtIfCreated))
        .whenComplete((value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(failure instanceof CacheException refused
                ? incrementRefused(key, delta, refused) : failure);
          }
        });
    return result;
  }

  private Supplier<CompletableFuture<Long>> incrementScript(
      String key, long delta, long expiresAtIfCreated) {
    byte[] expiry = expiresAtIfCreated == NEVER
        ? new byte[0]
        : Long.toString(epochMillis(expiresAtIfCreated)).getBytes(UTF_8);
    byte[] redisKey = redisKey(key);
    return () -> link.write(redisKey, commands -> INCREMENT.run(
        commands, ScriptOutputType.INTEGER, new byte[][] {redisKey},
        Long.toString(delta).getBytes(UTF_8), expiry));
  }

  /** The error a refused increment reports: a key holding something else, or an overflow. */
  private RuntimeException incrementRefused(String key, long delta, CacheException e) {
    if (e.getCause() instanceof RedisCommandExecutionException refused) {
      String reason = String.valueOf(refused.getMessage());
      if (reason.contains("not an integer") || reason.contains("WRONGTYPE")) {
        return new IllegalStateException(
            "cannot increment '" + key + "' in " + description + ": it holds a value that is not"
                + " a counter; delete it or use another key", refused);
      }
      if (reason.contains("overflow")) {
        return new IllegalStateException(
            "cannot add " + delta + " to the counter '" + key + "' in " + description
                + ": the result would not fit in 64 bits", refused);
      }
    }
    return e;
  }

  /** Runs the step as one Lua script on the server (token-bucket rate limits). */
  @Override
  public GcraOutcome gcra(String key, GcraStep step) {
    try {
      return await(on("gcra", key), () -> GcraScript.run(redis, redisKey(key), step));
    } catch (CacheException e) {
      if (e.getCause() != null && GcraScript.refusedForeignValue(e.getCause())) {
        throw new IllegalStateException(
            "cannot keep a rate limit in '" + key + "' in " + description + ": it holds another"
                + " value; delete it or rename the limiter", e.getCause());
      }
      throw e;
    }
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    byte[] redisKey = redisKey(key);
    if (expiresAt == NEVER) {
      Long touched = await("touch", key, () -> link.write(redisKey, commands ->
          PERSIST_IF_PRESENT.run(commands, ScriptOutputType.INTEGER, new byte[][] {redisKey})));
      return touched == 1;
    }
    return await("touch", key, () -> link.write(redisKey,
        commands -> commands.pexpireat(redisKey, epochMillis(expiresAt))));
  }

  @Override
  public long expiresAt(String key) {
    if (serverHasExpireTime) {
      try {
        return expiryFrom(await("expiresAt", key, () -> redis.pexpiretime(redisKey(key))), 0);
      } catch (CacheException e) {
        if (!isUnknownCommand(e)) {
          throw e;
        }
        // Redis before 7.0: ask for the time left and add it to our clock instead.
        serverHasExpireTime = false;
      }
    }
    return expiryFrom(await("expiresAt", key, () -> redis.pttl(redisKey(key))), clock.millis());
  }

  @Override
  public CompletionStage<Long> expiresAtAsync(String key) {
    byte[] redisKey = redisKey(key);
    if (!serverHasExpireTime) {
      long base = clock.millis();
      return reply("expiresAt", key, () -> redis.pttl(redisKey))
          .thenApply(reply -> expiryFrom(reply, base));
    }
    return reply("expiresAt", key, () -> redis.pexpiretime(redisKey))
        .thenApply(reply -> expiryFrom(reply, 0))
        .exceptionallyCompose(failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof CacheException refused && isUnknownCommand(refused)) {
            serverHasExpireTime = false;
            return expiresAtAsync(key);
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  /** Whether the server refused a command it does not know (PEXPIRETIME before Redis 7.0). */
  private static boolean isUnknownCommand(CacheException e) {
    return e.getCause() instanceof RedisCommandExecutionException refused
        && String.valueOf(refused.getMessage()).contains("unknown command");
  }

  private static long expiryFrom(long reply, long base) {
    if (reply == -2) {
      return ABSENT;
    }
    return reply == -1 ? NEVER : base + reply;
  }

  @Override
  public Map<String, Object> getAll(Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    if (distinct.isEmpty()) {
      return new HashMap<>();
    }
    byte[][] redisKeys = distinct.stream().map(this::redisKey).toArray(byte[][]::new);
    return found(distinct,
        await("getAll of " + distinct.size() + " keys", () -> redis.mget(redisKeys)));
  }

  @Override
  public CompletionStage<Map<String, Object>> getAllAsync(Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    if (distinct.isEmpty()) {
      return CompletableFuture.completedFuture(new HashMap<>());
    }
    byte[][] redisKeys = distinct.stream().map(this::redisKey).toArray(byte[][]::new);
    return reply("getAll of " + distinct.size() + " keys", null, () -> redis.mget(redisKeys))
        .thenApply(values -> found(distinct, values));
  }

  private static Map<String, Object> found(
      List<String> distinct, List<KeyValue<byte[], byte[]>> values) {
    Map<String, Object> found = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).hasValue()) {
        found.put(distinct.get(i), values.get(i).getValue());
      }
    }
    return found;
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    if (entries.isEmpty()) {
      return;
    }
    SetArgs expiry = expiresAt == NEVER ? null : SetArgs.Builder.pxAt(epochMillis(expiresAt));
    List<byte[]> keys = new ArrayList<>(entries.size());
    List<byte[]> values = new ArrayList<>(entries.size());
    entries.forEach((key, value) -> {
      keys.add(redisKey(key));
      values.add(bytes(key, value));
    });
    await("putAll of " + entries.size() + " keys", () -> {
      CompletableFuture<?>[] sets = new CompletableFuture<?>[keys.size()];
      for (int i = 0; i < sets.length; i++) {
        byte[] redisKey = keys.get(i);
        byte[] bytes = values.get(i);
        CompletionStage<String> set = link.write(redisKey, commands -> expiry == null
            ? commands.set(redisKey, bytes)
            : commands.set(redisKey, bytes, expiry));
        sets[i] = set.toCompletableFuture();
      }
      return CompletableFuture.allOf(sets);
    });
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    byte[][] redisKeys = new LinkedHashSet<>(keys).stream().map(this::redisKey)
        .toArray(byte[][]::new);
    String what = "deleteAll of " + redisKeys.length + " keys";
    if (!link.waitsForReplicas()) {
      return await(what, () -> redis.unlink(redisKeys));
    }
    // WAIT follows each key to its master; the UNLINKs and WAITs are still sent together.
    List<CompletableFuture<Long>> unlinks = new ArrayList<>(redisKeys.length);
    for (byte[] redisKey : redisKeys) {
      unlinks.add(dispatch(what, () -> link.write(redisKey, commands -> commands.unlink(redisKey))));
    }
    long removed = 0;
    for (CompletableFuture<Long> unlink : unlinks) {
      removed += await(what, () -> unlink);
    }
    return removed;
  }

  @Override
  public CompletionStage<Long> deleteAllAsync(Collection<String> keys) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(0L);
    }
    if (link.waitsForReplicas()) {
      return CacheStore.super.deleteAllAsync(keys);
    }
    byte[][] redisKeys = new LinkedHashSet<>(keys).stream().map(this::redisKey)
        .toArray(byte[][]::new);
    return reply("deleteAll of " + redisKeys.length + " keys", null, () -> redis.unlink(redisKeys));
  }

  @Override
  public Stream<String> keys(Glob glob) {
    Scan scan = new Scan(glob);
    return StreamSupport.stream(
        new Spliterators.AbstractSpliterator<String>(Long.MAX_VALUE, Spliterator.NONNULL) {
          private final ArrayDeque<String> page = new ArrayDeque<>();

          @Override
          public boolean tryAdvance(Consumer<? super String> action) {
            while (page.isEmpty() && scan.hasMore()) {
              scan.next().forEach(key -> page.add(key));
            }
            if (page.isEmpty()) {
              return false;
            }
            action.accept(page.poll());
            return true;
          }
        },
        false);
  }

  @Override
  public long deleteMatching(Glob glob) {
    Scan scan = new Scan(glob);
    List<CompletableFuture<Long>> unlinks = new ArrayList<>();
    while (scan.hasMore()) {
      List<String> page = scan.next();
      if (!page.isEmpty()) {
        byte[][] redisKeys = page.stream().map(this::redisKey).toArray(byte[][]::new);
        // Sent without waiting, so the next SCAN page travels alongside this page's UNLINK.
        unlinks.add(dispatch(on("deleteMatching", glob.pattern()), () -> redis.unlink(redisKeys)));
      }
    }
    long removed = 0;
    for (CompletableFuture<Long> unlink : unlinks) {
      removed += await(on("deleteMatching", glob.pattern()), () -> unlink);
    }
    return removed;
  }

  /** Deletes every key under this store's prefix with {@code SCAN} and {@code UNLINK}. */
  @Override
  public void clear() {
    deleteMatching(Glob.of("*"));
  }

  /**
   * The keys under this store's prefix, counted with {@code SCAN} when the database (every prefix)
   * holds at most {@value #COUNTED_DATABASE_KEYS} keys, else -1; {@code hoard.redis.db.keys} (the
   * whole database, {@code DBSIZE}, summed over masters on a Cluster); and {@code
   * hoard.redis.memory.used} ({@code used_memory} of {@code INFO memory}), except on a Cluster,
   * whose nodes each have their own.
   */
  @Override
  public StoreReport report() {
    long databaseKeys = await("report the size of", () -> redis.dbsize());
    List<StoreGauge> gauges = new ArrayList<>();
    gauges.add(new StoreGauge("hoard.redis.db.keys", Map.of(), databaseKeys, null,
        "keys in the Redis database, under every prefix"));
    if (!link.isCluster()) {
      String info = await("report the memory of", () -> redis.info("memory"));
      gauges.add(new StoreGauge("hoard.redis.memory.used", Map.of(), usedMemory(info), "bytes",
          "memory the Redis server uses (used_memory), for every prefix"));
    }
    long size = -1;
    if (databaseKeys <= COUNTED_DATABASE_KEYS) {
      size = 0;
      Scan scan = new Scan(Glob.of("*"));
      while (scan.hasMore()) {
        size += scan.next().size();
      }
    }
    return new StoreReport(size, gauges);
  }

  private static double usedMemory(String info) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Double.parseDouble(line.substring("used_memory:".length()).trim());
      }
    }
    return Double.NaN;
  }

  /**
   * The bus that carries invalidations between near caches over this store's prefix, on a pub/sub
   * connection of this store's client; created on first use, closed with the store. Wire a near
   * cache with {@code TieredCacheStore.builder().l2(store).bus(store.invalidationBus())}, or give
   * the URL {@code near=…}.
   */
  public synchronized RedisInvalidationBus invalidationBus() {
    if (bus == null) {
      bus = new RedisInvalidationBus(link, prefix);
    }
    return bus;
  }

  /** Closes the invalidation bus, if one was opened, and the connection. */
  @Override
  public void close() {
    try {
      synchronized (this) {
        if (bus != null) {
          bus.close();
        }
      }
    } finally {
      link.close();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /** One walk over the keys under the prefix that match a glob, a page at a time. */
  private final class Scan {
    private final Glob glob;
    private final ScanArgs args;
    private ScanCursor cursor = ScanCursor.INITIAL;

    Scan(Glob glob) {
      this.glob = glob;
      this.args = ScanArgs.Builder.matches(ScanPattern.widened(prefix, glob).getBytes(UTF_8))
          .limit(SCAN_PAGE);
    }

    boolean hasMore() {
      return !cursor.isFinished();
    }

    List<String> next() {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> scanned =
          await(on("scan for", glob.pattern()), () -> redis.scan(from, args));
      cursor = scanned;
      List<String> keys = new ArrayList<>(scanned.getKeys().size());
      for (byte[] redisKey : scanned.getKeys()) {
        String key = new String(redisKey, UTF_8);
        if (key.startsWith(prefix)) {
          key = key.substring(prefix.length());
          if (glob.matches(key)) {
            keys.add(key);
          }
        }
      }
      return keys;
    }
  }

  private byte[] redisKey(String key) {
    byte[] keyBytes = key.getBytes(UTF_8);
    byte[] redisKey = Arrays.copyOf(prefixBytes, prefixBytes.length + keyBytes.length);
    System.arraycopy(keyBytes, 0, redisKey, prefixBytes.length, keyBytes.length);
    return redisKey;
  }

  private static byte[] bytes(String key, Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalArgumentException(
        "a Redis store keeps byte[] values, but '" + key + "' was given a "
            + (value == null ? "null" : value.getClass().getName())
            + "; use a Cache with a codec, or encode the value first");
  }

  /** Redis refuses expiry times at or before the epoch; they mean "already expired" anyway. */
  private static long epochMillis(long expiresAt) {
    return Math.max(1, expiresAt);
  }

  /** Sends a command; {@code operation} and {@code subject} name it in a failure's message. */
  private <T> CompletableFuture<T> dispatch(
      String operation, String subject, Supplier<? extends CompletionStage<T>> command) {
    try {
      return command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      throw failed(operation, subject, e);
    }
  }

  private <T> CompletableFuture<T> dispatch(
      String what, Supplier<? extends CompletionStage<T>> command) {
    return dispatch(what, null, command);
  }

  /**
   * Names an operation on one key (or pattern) for a message, shortening very long keys. Built
   * only when something failed, so the hot path allocates no message.
   */
  private static String on(String operation, String subject) {
    if (subject == null) {
      return operation;
    }
    String shown = subject.length() > 120 ? subject.substring(0, 120) + "…" : subject;
    return operation + " '" + shown + "'";
  }

  /** Lets the link react to the failure (a Cluster refreshes its topology) and describes it. */
  private CacheException failed(String operation, String subject, Throwable failure) {
    link.commandFailed(failure);
    return RedisErrors.failed(description, on(operation, subject), failure);
  }

  private <T> T await(String what, Supplier<? extends CompletionStage<T>> command) {
    return await(what, null, command);
  }

  /**
   * Sends a command without waiting: the stage completes with the reply, or exceptionally with a
   * {@link CacheException} (a timeout included) as {@link #await} would throw it.
   */
  private <T> CompletableFuture<T> reply(
      String operation, String subject, Supplier<? extends CompletionStage<T>> command) {
    CompletableFuture<T> sent;
    try {
      sent = command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(failed(operation, subject, e));
    }
    if (!link.timesOutItself()) {
      sent = sent.orTimeout(awaitMillis, TimeUnit.MILLISECONDS);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    sent.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failed(operation, subject, failure));
      }
    });
    return result;
  }

  /** A stage of stored bytes as one of stored values, which is what the SPI hands out. */
  @SuppressWarnings("unchecked")
  private static CompletionStage<Object> widen(CompletionStage<? extends Object> stage) {
    // Safe: a stage is read-only to its consumers, so a stage of byte[] is a stage of Object.
    return (CompletionStage<Object>) stage;
  }

  /** Sends a command and waits for its reply; failures become {@link CacheException}s. */
  private <T> T await(
      String operation, String subject, Supplier<? extends CompletionStage<T>> command) {
    CompletableFuture<T> reply = dispatch(operation, subject, command);
    try {
      return reply.get(awaitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw failed(operation, subject, e);
    } catch (TimeoutException e) {
      reply.cancel(true);
      throw failed(operation, subject, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(true);
      throw RedisErrors.failed(description, on(operation, subject), e);
    }
  }
}
