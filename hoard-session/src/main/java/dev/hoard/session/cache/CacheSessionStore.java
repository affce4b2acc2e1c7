package dev.hoard.session.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.session.SessionException;
import dev.hoard.session.internal.RecordFormat;
import dev.hoard.session.internal.SecureTokens;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions on any {@link CacheStore}: Memcached, the file store, the memory store. Each session is
 * one entry ({@code <prefix>s:<key>}, the record as JSON) that expires natively with the session;
 * each user has an index entry ({@code <prefix>u:<SHA-256 of the user id>}) listing the keys of
 * their sessions.
 *
 * <p><b>What it guarantees.</b> A cache store has no transactions, so writes to one session (delta
 * updates and deletes) and to one user index run under a short lease: an entry {@code
 * <prefix>l:<name>} holding a random token, taken with {@link CacheStore#putIfAbsent} (atomic on
 * every store: Memcached {@code add}, file locks, in-process maps) and expiring after {@link
 * Builder#leaseTime} (default 2 s) so that a crashed writer cannot block a session for longer.
 * Writers that find the lease taken retry with growing, jittered pauses for up to {@link
 * Builder#leaseWait} (default 5 s), then fail with a {@link SessionException}. So concurrent
 * requests on one session never lose each other's attributes, and an update never resurrects a
 * deleted session, as long as each read-merge-write finishes within the lease time; a writer
 * stalled beyond it (a long GC pause) may interleave with the next one. A store that evicts
 * entries (Memcached under memory pressure) may drop a session early, as it would any entry.
 *
 * <p>User index entries do not expire; they are pruned of dead sessions whenever they are read or
 * added to, and on {@link #purgeExpired} when the store can list keys ({@link
 * StoreCapability#KEY_SCAN}). Sessions themselves expire in the cache store, so purging removes
 * none and returns 0.
 */
public final class CacheSessionStore implements SessionStore {

  private static final Logger log = LoggerFactory.getLogger(CacheSessionStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> KEY_LIST = new TypeReference<>() {};
  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final CacheStore cache;
  private final String prefix;
  private final Duration leaseTime;
  private final Duration leaseWait;

  private CacheSessionStore(Builder builder) {
    this.cache = builder.cache;
    this.prefix = builder.prefix;
    this.leaseTime = builder.leaseTime;
    this.leaseWait = builder.leaseWait;
  }

  /** A builder for sessions kept in {@code cache}; closing the session store closes it. */
  public static Builder builder(CacheStore cache) {
    return new Builder(cache);
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    SessionRecord record = read(key);
    return record == null || record.isExpiredAt(now) ? null : record;
  }

  @Override
  public void create(SessionRecord record) {
    cache.put(sessionKey(record.key()), RecordFormat.write(record), expiry(record.expiresAt()));
    if (record.userId() != null) {
      index(record.userId(), keys -> keys.add(record.key()));
    }
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    String[] previousUser = new String[1];
    boolean applied = underLease(key, () -> {
      SessionRecord stored = load(key, now);
      if (stored == null) {
        return false;
      }
      Map<String, byte[]> attributes = new HashMap<>(stored.attributes());
      attributes.putAll(delta.changed());
      attributes.keySet().removeAll(delta.removed());
      Instant accessed = later(stored.lastAccessedAt(), delta.lastAccessedAt());
      Instant expires = later(stored.expiresAt(), delta.expiresAt());
      String user = delta.userId() != null ? delta.userId() : stored.userId();
      SessionRecord merged =
          new SessionRecord(key, stored.createdAt(), accessed, expires, user, attributes);
      cache.put(sessionKey(key), RecordFormat.write(merged), expiry(expires));
      previousUser[0] = stored.userId();
      return true;
    });
    String user = delta.userId();
    if (applied && user != null && !user.equals(previousUser[0])) {
      index(user, keys -> keys.add(key));
      if (previousUser[0] != null) {
        index(previousUser[0], keys -> keys.remove(key));
      }
    }
    return applied;
  }

  @Override
  public boolean delete(String key) {
    SessionRecord[] deleted = new SessionRecord[1];
    boolean removed = underLease(key, () -> {
      deleted[0] = read(key);
      return cache.delete(sessionKey(key));
    });
    if (deleted[0] != null && deleted[0].userId() != null) {
      index(deleted[0].userId(), keys -> keys.remove(key));
    }
    return removed;
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    List<String> keys = readIndex(userId);
    List<SessionRecord> live = liveSessions(userId, keys, now);
    if (live.size() < keys.size()) {
      Set<String> liveKeys = keysOf(live);
      index(userId, indexed -> indexed.removeIf(key -> !liveKeys.contains(key)));
    }
    return live;
  }

  @Override
  public long deleteByUser(String userId) {
    long deleted = 0;
    List<String> keys = readIndex(userId);
    for (String key : keys) {
      SessionRecord record = read(key);
      if (record != null && userId.equals(record.userId())
          && underLease(key, () -> cache.delete(sessionKey(key)))) {
        deleted++;
      }
    }
    // Only the keys seen here: a session bound while this ran stays listed.
    Set<String> gone = new LinkedHashSet<>(keys);
    index(userId, indexed -> indexed.removeAll(gone));
    return deleted;
  }

  @Override
  public long purgeExpired(Instant now) {
    if (!cache.capabilities().contains(StoreCapability.KEY_SCAN)) {
      return 0;
    }
    String indexPrefix = prefix + "u:";
    List<String> indexKeys;
    try (Stream<String> keys = cache.keys(Glob.of(Glob.escape(indexPrefix) + "*"))) {
      indexKeys = keys.toList();
    }
    for (String indexKey : indexKeys) {
      String hashedUser = indexKey.substring(indexPrefix.length());
      underLease("u:" + hashedUser, () -> {
        List<String> keys = decodeKeys(cache.get(indexKey));
        List<String> live = new ArrayList<>();
        for (Map.Entry<String, Object> entry : cache.getAll(sessionKeys(keys)).entrySet()) {
          SessionRecord record = decode(entry.getValue());
          if (record != null && !record.isExpiredAt(now) && record.userId() != null
              && hashedUser.equals(SecureTokens.sha256(record.userId()))) {
            live.add(record.key());
          }
        }
        writeIndex(indexKey, live);
        return null;
      });
    }
    return 0;
  }

  @Override
  public String description() {
    return "cache-backed sessions on " + cache.description();
  }

  @Override
  public void close() {
    cache.close();
  }

  @Override
  public String toString() {
    return description();
  }

  // ---- user index

  /** Changes the index of {@code userId} under its lease, pruning entries of dead sessions. */
  private void index(String userId, Consumer<Set<String>> change) {
    String hashed = SecureTokens.sha256(userId);
    underLease("u:" + hashed, () -> {
      String indexKey = prefix + "u:" + hashed;
      Set<String> keys = new LinkedHashSet<>(decodeKeys(cache.get(indexKey)));
      change.accept(keys);
      Map<String, Object> present = cache.getAll(sessionKeys(keys));
      keys.removeIf(key -> !present.containsKey(sessionKey(key)));
      writeIndex(indexKey, keys);
      return null;
    });
  }

  private void writeIndex(String indexKey, Collection<String> keys) {
    if (keys.isEmpty()) {
      cache.delete(indexKey);
      return;
    }
    try {
      cache.put(indexKey, JSON.writeValueAsBytes(List.copyOf(keys)), CacheStore.NEVER);
    } catch (IOException e) {
      throw new IllegalStateException("a session index could not be written as JSON", e);
    }
  }

  private List<String> readIndex(String userId) {
    return decodeKeys(cache.get(prefix + "u:" + SecureTokens.sha256(userId)));
  }

  private List<String> decodeKeys(Object stored) {
    if (!(stored instanceof byte[] bytes)) {
      return List.of();
    }
    try {
      return JSON.readValue(bytes, KEY_LIST);
    } catch (IOException e) {
      log.warn("a session user index in {} is unreadable and is rebuilt: {}", cache.description(),
          String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return List.of();
    }
  }

  private List<SessionRecord> liveSessions(String userId, List<String> keys, Instant now) {
    Map<String, Object> found = cache.getAll(sessionKeys(keys));
    List<SessionRecord> live = new ArrayList<>();
    for (String key : keys) {
      SessionRecord record = decode(found.get(sessionKey(key)));
      if (record != null && !record.isExpiredAt(now) && userId.equals(record.userId())) {
        live.add(record);
      }
    }
    return live;
  }

  private static Set<String> keysOf(List<SessionRecord> records) {
    Set<String> keys = new LinkedHashSet<>();
    for (SessionRecord record : records) {
      keys.add(record.key());
    }
    return keys;
  }

  // ---- records

  private SessionRecord read(String key) {
    return decode(cache.get(sessionKey(key)));
  }

  private SessionRecord decode(Object stored) {
    if (!(stored instanceof byte[] bytes)) {
      return null;
    }
    try {
      return RecordFormat.read(bytes);
    } catch (RuntimeException e) {
      log.warn("a stored session in {} is unreadable and reads as absent: {}",
          cache.description(), e.getMessage());
      return null;
    }
  }

  private String sessionKey(String key) {
    return prefix + "s:" + key;
  }

  private List<String> sessionKeys(Collection<String> keys) {
    List<String> sessionKeys = new ArrayList<>(keys.size());
    for (String key : keys) {
      sessionKeys.add(sessionKey(key));
    }
    return sessionKeys;
  }

  private static long expiry(Instant expiresAt) {
    return expiresAt.toEpochMilli();
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  // ---- leases

  /** Runs {@code action} while holding the lease on {@code name}. */
  private <T> T underLease(String name, Supplier<T> action) {
    String leaseKey = prefix + "l:" + name;
    byte[] token = SecureTokens.random().getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + leaseWait.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    while (!cache.putIfAbsent(leaseKey, token, cache.clock().millis() + leaseTime.toMillis())) {
      if (System.nanoTime() - deadline > 0) {
        throw new SessionException(
            "a session in " + cache.description() + " stayed locked by another writer for "
                + leaseWait + "; retry the request (or raise leaseWait if writes are this slow)");
      }
      LockSupport.parkNanos(pause / 2 + ThreadLocalRandom.current().nextLong(pause));
      if (Thread.currentThread().isInterrupted()) {
        throw new SessionException("interrupted while waiting for a session lease in "
            + cache.description());
      }
      pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
    }
    try {
      return action.get();
    } finally {
      release(leaseKey, token);
    }
  }

  /** Deletes the lease if it still holds our token; one that timed out and moved on is left. */
  private void release(String leaseKey, byte[] token) {
    if (cache.get(leaseKey) instanceof byte[] held && Arrays.equals(held, token)) {
      cache.delete(leaseKey);
    }
  }

  /** Configures a {@link CacheSessionStore}. */
  public static final class Builder {

    private final CacheStore cache;
    private String prefix = "hoard:session:";
    private Duration leaseTime = Duration.ofSeconds(2);
    private Duration leaseWait = Duration.ofSeconds(5);

    private Builder(CacheStore cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Prepended to every key this store writes; default {@code hoard:session:}. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * How long one writer may hold a session's lease before others may take it; default 2 s.
     * Stores with second resolution (Memcached) round it up to whole seconds.
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = positive("leaseTime", leaseTime);
      return this;
    }

    /** How long a writer waits for a lease before failing; default 5 s. */
    public Builder leaseWait(Duration leaseWait) {
      this.leaseWait = positive("leaseWait", leaseWait);
      return this;
    }

    /** Builds the store. */
    public CacheSessionStore build() {
      return new CacheSessionStore(this);
    }

    private static Duration positive(String name, Duration duration) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
