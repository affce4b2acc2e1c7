package dev.hoard.redis.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.redis.RedisStoreBuilder;
import dev.hoard.redis.internal.LuaScript;
import dev.hoard.redis.internal.RedisErrors;
import dev.hoard.redis.internal.RedisLink;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sessions on Redis (standalone, Sentinel or Cluster) through one shared Lettuce connection.
 *
 * <p>Layout under the prefix ({@code hoard:s:} unless the URL says {@code prefix=…}):
 *
 * <ul>
 *   <li>{@code s:{key}} — a hash per session: {@code #created}, {@code #access}, {@code #expires}
 *       (epoch milliseconds) and {@code #user}, plus one field {@code a:<name>} per attribute,
 *       expiring natively at the session's expiry ({@code PEXPIREAT});
 *   <li>{@code u:<user>} — a set of the keys of the user's sessions, pruned of expired, deleted
 *       and rebound sessions whenever it is read and by {@link #purgeExpired}.
 * </ul>
 *
 * <p>A delta is one {@code EVALSHA}: the script drops it when the hash is gone or expired, writes
 * the changed fields, deletes the removed ones and keeps the later of the stored and the new
 * access and expiry times. Binding a user costs one more command, sent alongside, on the user's
 * set. Sessions expire in Redis by themselves, so correctness never depends on keyspace
 * notifications or on the purge job.
 *
 * <p>With {@code replicas=N} in the URL, creating, updating and deleting a session waits ({@code
 * WAIT}, sent with the write) until N replicas hold the change, and fails if they do not within
 * half the timeout: a failover then cannot lose a session the application was told is saved.
 */
public final class RedisSessionStore implements SessionStore {

  /** The key prefix when the URL gives none. */
  public static final String DEFAULT_PREFIX = ReservedKeySpace.SESSIONS.defaultPrefix();

  private static final String CREATED = "#created";
  private static final String ACCESS = "#access";
  private static final String EXPIRES = "#expires";
  private static final String USER = "#user";
  private static final String ATTRIBUTE = "a:";
  private static final byte[] NO = {'0'};
  private static final byte[] YES = {'1'};
  private static final int SCAN_PAGE = 500;

  /**
   * Replaces the session. ARGV: created, access, expires, has-user flag, user, then name/value
   * pairs. Returns the user the replaced session was bound to, or false.
   */
  private static final LuaScript CREATE = new LuaScript("""
      local previous = redis.call('HGET', KEYS[1], '#user')
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], '#created', ARGV[1], '#access', ARGV[2], '#expires', ARGV[3])
      if ARGV[4] == '1' then
        redis.call('HSET', KEYS[1], '#user', ARGV[5])
      end
      for i = 6, #ARGV, 2 do
        redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
      end
      redis.call('PEXPIREAT', KEYS[1], ARGV[3])
      return previous
      """);

  /**
   * Applies a delta unless the session is gone or expired at ARGV[1]. ARGV: now, access, expires,
   * has-user flag, user, number of changed pairs, the pairs, then the removed names. Returns the
   * user bound before the delta ('' for none), or false when the delta was dropped.
   */
  private static final LuaScript UPDATE = new LuaScript("""
      local stored = redis.call('HMGET', KEYS[1], '#access', '#expires', '#user')
      if not stored[2] then
        return false
      end
      local expires = tonumber(stored[2])
      if expires <= tonumber(ARGV[1]) then
        redis.call('DEL', KEYS[1])
        return false
      end
      if tonumber(ARGV[2]) > tonumber(stored[1]) then
        redis.call('HSET', KEYS[1], '#access', ARGV[2])
      end
      if tonumber(ARGV[3]) > expires then
        redis.call('HSET', KEYS[1], '#expires', ARGV[3])
        redis.call('PEXPIREAT', KEYS[1], ARGV[3])
      end
      if ARGV[4] == '1' then
        redis.call('HSET', KEYS[1], '#user', ARGV[5])
      end
      local pairs = tonumber(ARGV[6])
      for i = 7, 6 + 2 * pairs, 2 do
        redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
      end
      for i = 7 + 2 * pairs, #ARGV do
        redis.call('HDEL', KEYS[1], ARGV[i])
      end
      return stored[3] or ''
      """);

  /** Deletes the session; returns the user it was bound to ('' for none), or false if absent. */
  private static final LuaScript DELETE = new LuaScript("""
      local user = redis.call('HGET', KEYS[1], '#user')
      if redis.call('DEL', KEYS[1]) == 0 then
        return false
      end
      return user or ''
      """);

  /** Deletes the session if it is bound to ARGV[1]; returns 1 if it did. */
  private static final LuaScript DELETE_IF_BOUND_TO = new LuaScript("""
      if redis.call('HGET', KEYS[1], '#user') == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /** Deletes the session if it is expired at ARGV[1]; returns 1 if it did. */
  private static final LuaScript DELETE_IF_EXPIRED = new LuaScript("""
      local expires = redis.call('HGET', KEYS[1], '#expires')
      if expires and tonumber(expires) <= tonumber(ARGV[1]) then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  /** Adds ARGV[1] to the user's set and keeps the set alive for at least ARGV[2] ms. */
  private static final LuaScript INDEX = new LuaScript("""
      redis.call('SADD', KEYS[1], ARGV[1])
      local ttl = redis.call('PTTL', KEYS[1])
      if ttl == -1 or ttl < tonumber(ARGV[2]) then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 1
      """);

  private final RedisLink link;
  private final RedisClusterAsyncCommands<byte[], byte[]> redis;
  private final Clock clock;
  private final String prefix;
  private final String description;
  private final long awaitMillis;

  /** Takes over {@code link}; {@code prefix} is not empty (the provider or builder checks). */
  RedisSessionStore(RedisLink link, String prefix, Clock clock) {
    this.link = link;
    this.redis = link.commands();
    this.clock = clock;
    this.prefix = prefix;
    this.description = "redis sessions " + link + " (prefix '" + prefix + "')";
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

  /** Configures a {@link RedisSessionStore} on an application's Lettuce client. */
  public static final class Builder extends RedisStoreBuilder<Builder> {

    private Builder(RedisClient client, RedisClusterClient clusterClient) {
      super(client, clusterClient, DEFAULT_PREFIX);
    }

    /**
     * Connects on the client.
     *
     * @throws SessionException if Redis cannot be reached
     */
    public RedisSessionStore build() {
      try {
        return new RedisSessionStore(connect(), prefix(), clock());
      } catch (CacheException e) {
        throw new SessionException(e.getMessage(), e.getCause());
      }
    }
  }

  /** The prefix this store puts in front of every key. */
  public String prefix() {
    return prefix;
  }

  private byte[] sessionKey(String key) {
    return (prefix + "s:{" + key + "}").getBytes(UTF_8);
  }

  private byte[] userKey(String userId) {
    return (prefix + "u:" + userId).getBytes(UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  private static byte[] millis(Instant instant) {
    // Redis refuses expiry times at or before the epoch; they mean "already expired" anyway.
    return Long.toString(Math.max(1, instant.toEpochMilli())).getBytes(UTF_8);
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    Map<byte[], byte[]> fields = await(on("load", key), () -> redis.hgetall(sessionKey(key)));
    SessionRecord record = decode(key, fields);
    return record == null || record.isExpiredAt(now) ? null : record;
  }

  /** The session in a hash's fields, or null when the hash is gone or not a session. */
  private static SessionRecord decode(String key, Map<byte[], byte[]> fields) {
    if (fields == null || fields.isEmpty()) {
      return null;
    }
    Map<String, byte[]> attributes = new HashMap<>();
    Long created = null;
    Long access = null;
    Long expires = null;
    String user = null;
    for (Map.Entry<byte[], byte[]> field : fields.entrySet()) {
      String name = new String(field.getKey(), UTF_8);
      if (name.startsWith(ATTRIBUTE)) {
        attributes.put(name.substring(ATTRIBUTE.length()), field.getValue());
      } else {
        String value = new String(field.getValue(), UTF_8);
        switch (name) {
          case CREATED -> created = Long.parseLong(value);
          case ACCESS -> access = Long.parseLong(value);
          case EXPIRES -> expires = Long.parseLong(value);
          case USER -> user = value;
          default -> { } // a field a later version added: not ours to interpret
        }
      }
    }
    if (created == null || access == null || expires == null) {
      return null;
    }
    return new SessionRecord(key, Instant.ofEpochMilli(created), Instant.ofEpochMilli(access),
        Instant.ofEpochMilli(expires), user, attributes);
  }

  @Override
  public void create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    List<byte[]> args = new ArrayList<>(5 + 2 * record.attributes().size());
    args.add(millis(record.createdAt()));
    args.add(millis(record.lastAccessedAt()));
    args.add(millis(record.expiresAt()));
    args.add(record.userId() == null ? NO : YES);
    args.add(record.userId() == null ? new byte[0] : utf8(record.userId()));
    record.attributes().forEach((name, value) -> {
      args.add(utf8(ATTRIBUTE + name));
      args.add(value);
    });
    String key = record.key();
    CompletableFuture<?> indexed = record.userId() == null
        ? CompletableFuture.completedFuture(null)
        : dispatch(on("create", key), () -> index(record.userId(), key, record.expiresAt()));
    byte[] sessionKey = sessionKey(key);
    byte[] previous = await(on("create", key), () -> link.write(sessionKey, commands ->
        CREATE.<byte[]>run(commands, ScriptOutputType.VALUE, new byte[][] {sessionKey},
            args.toArray(byte[][]::new))));
    await(on("create", key), () -> indexed);
    unindexIfRebound(previous, record.userId(), key);
  }

  /** Puts {@code key} in the user's set, which lives at least until {@code expiresAt}. */
  private CompletionStage<Long> index(String userId, String key, Instant expiresAt) {
    long ttl = Math.max(1000, expiresAt.toEpochMilli() - clock.millis());
    return INDEX.run(redis, ScriptOutputType.INTEGER, new byte[][] {userKey(userId)},
        utf8(key), Long.toString(ttl).getBytes(UTF_8));
  }

  /** Drops {@code key} from the set of {@code previous} if the session is no longer bound to it. */
  private void unindexIfRebound(byte[] previous, String current, String key) {
    if (previous != null && previous.length > 0) {
      String previousUser = new String(previous, UTF_8);
      if (!previousUser.equals(current)) {
        await(on("unindex", key), () -> redis.srem(userKey(previousUser), utf8(key)));
      }
    }
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    Objects.requireNonNull(delta, "delta");
    List<byte[]> args = new ArrayList<>(6 + 2 * delta.changed().size() + delta.removed().size());
    args.add(millis(now));
    args.add(millis(delta.lastAccessedAt()));
    args.add(millis(delta.expiresAt()));
    args.add(delta.userId() == null ? NO : YES);
    args.add(delta.userId() == null ? new byte[0] : utf8(delta.userId()));
    args.add(Integer.toString(delta.changed().size()).getBytes(UTF_8));
    delta.changed().forEach((name, value) -> {
      args.add(utf8(ATTRIBUTE + name));
      args.add(value);
    });
    delta.removed().forEach(name -> args.add(utf8(ATTRIBUTE + name)));
    // The user's set is written alongside the delta, before knowing whether it applies: a key in
    // the set whose session is gone or bound elsewhere is pruned on the next read.
    CompletableFuture<?> indexed = delta.userId() == null
        ? CompletableFuture.completedFuture(null)
        : dispatch(on("update", key), () -> index(delta.userId(), key, delta.expiresAt()));
    byte[] sessionKey = sessionKey(key);
    byte[] previous = await(on("update", key), () -> link.write(sessionKey, commands ->
        UPDATE.<byte[]>run(commands, ScriptOutputType.VALUE, new byte[][] {sessionKey},
            args.toArray(byte[][]::new))));
    await(on("update", key), () -> indexed);
    if (previous == null) {
      return false;
    }
    if (delta.userId() != null) {
      unindexIfRebound(previous, delta.userId(), key);
    }
    return true;
  }

  @Override
  public boolean delete(String key) {
    byte[] sessionKey = sessionKey(key);
    byte[] user = await(on("delete", key), () -> link.write(sessionKey, commands ->
        DELETE.<byte[]>run(commands, ScriptOutputType.VALUE, new byte[][] {sessionKey})));
    if (user == null) {
      return false;
    }
    unindexIfRebound(user, null, key);
    return true;
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    Objects.requireNonNull(userId, "userId");
    Set<byte[]> members = await(on("findByUser", userId), () -> redis.smembers(userKey(userId)));
    List<String> keys = members.stream().map(member -> new String(member, UTF_8)).toList();
    List<CompletableFuture<Map<byte[], byte[]>>> hashes = new ArrayList<>(keys.size());
    for (String key : keys) {
      hashes.add(dispatch(on("findByUser", userId), () -> redis.hgetall(sessionKey(key))));
    }
    List<SessionRecord> live = new ArrayList<>();
    List<byte[]> stale = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      CompletableFuture<Map<byte[], byte[]>> hash = hashes.get(i);
      SessionRecord record = decode(keys.get(i), await(on("findByUser", userId), () -> hash));
      if (record != null && !record.isExpiredAt(now) && userId.equals(record.userId())) {
        live.add(record);
      } else {
        stale.add(utf8(keys.get(i)));
      }
    }
    if (!stale.isEmpty()) {
      await(on("findByUser", userId),
          () -> redis.srem(userKey(userId), stale.toArray(byte[][]::new)));
    }
    return live;
  }

  @Override
  public long deleteByUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    Set<byte[]> members = await(on("deleteByUser", userId), () -> redis.smembers(userKey(userId)));
    List<CompletableFuture<Long>> deletions = new ArrayList<>(members.size());
    for (byte[] member : members) {
      String key = new String(member, UTF_8);
      deletions.add(dispatch(on("deleteByUser", userId), () -> DELETE_IF_BOUND_TO.run(
          redis, ScriptOutputType.INTEGER, new byte[][] {sessionKey(key)}, utf8(userId))));
    }
    long removed = 0;
    for (CompletableFuture<Long> deletion : deletions) {
      removed += await(on("deleteByUser", userId), () -> deletion);
    }
    if (!members.isEmpty()) {
      // Only the members seen: a session bound to the user meanwhile keeps its entry.
      await(on("deleteByUser", userId),
          () -> redis.srem(userKey(userId), members.toArray(byte[][]::new)));
    }
    return removed;
  }

  /**
   * Walks the user sets with {@code SCAN} (every master of a Cluster), dropping entries of
   * sessions that are gone, rebound or expired at {@code now}, and deleting the expired sessions
   * it finds that way. Sessions bound to nobody expire in Redis by themselves and are not counted.
   */
  @Override
  public long purgeExpired(Instant now) {
    ScanArgs args = ScanArgs.Builder
        .matches(utf8(Glob.escape(prefix + "u:") + "*"))
        .limit(SCAN_PAGE);
    long removed = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    int userStart = (prefix + "u:").getBytes(UTF_8).length;
    do {
      ScanCursor from = cursor;
      KeyScanCursor<byte[]> page = await("purge", () -> redis.scan(from, args));
      for (byte[] userKey : page.getKeys()) {
        String userId = new String(userKey, userStart, userKey.length - userStart, UTF_8);
        removed += purgeUser(userId, now);
      }
      cursor = page;
    } while (!cursor.isFinished());
    return removed;
  }

  /** Deletes the user's sessions that are expired at {@code now} and prunes the user's set. */
  private long purgeUser(String userId, Instant now) {
    Set<byte[]> members = await(on("purge", userId), () -> redis.smembers(userKey(userId)));
    List<CompletableFuture<Long>> deletions = new ArrayList<>(members.size());
    for (byte[] member : members) {
      String key = new String(member, UTF_8);
      deletions.add(dispatch(on("purge", userId), () -> DELETE_IF_EXPIRED.run(
          redis, ScriptOutputType.INTEGER, new byte[][] {sessionKey(key)}, millis(now))));
    }
    long removed = 0;
    for (CompletableFuture<Long> deletion : deletions) {
      removed += await(on("purge", userId), () -> deletion);
    }
    findByUser(userId, now);
    return removed;
  }

  /** How many keys the user's set holds; tests check that it is pruned. */
  long indexedSessionsOf(String userId) {
    return await(on("scard", userId), () -> redis.scard(userKey(userId)));
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    return description;
  }

  private <T> CompletableFuture<T> dispatch(
      String what, Supplier<? extends CompletionStage<T>> command) {
    try {
      return command.get().toCompletableFuture();
    } catch (RuntimeException e) {
      throw failed(what, e);
    }
  }

  private <T> T await(String what, Supplier<? extends CompletionStage<T>> command) {
    CompletableFuture<T> reply = dispatch(what, command);
    try {
      return reply.get(awaitMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      reply.cancel(true);
      throw failed(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(true);
      throw failed(what, e);
    }
  }

  private SessionException failed(String what, Throwable failure) {
    link.commandFailed(failure);
    Throwable cause = RedisErrors.unwrap(failure);
    return new SessionException(
        "Redis session store " + description + ": " + what + " failed: "
            + RedisErrors.reason(cause), cause);
  }

  /** Names an operation on one key or user for a message, shortening very long ones. */
  private static String on(String operation, String subject) {
    String shown = subject.length() > 120 ? subject.substring(0, 120) + "…" : subject;
    return operation + " '" + shown + "'";
  }
}
