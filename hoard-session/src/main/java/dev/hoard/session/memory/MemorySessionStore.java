package dev.hoard.session.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Sessions in this process, on Caffeine: bounded by count (the least recently and frequently used
 * sessions go first when full), each expiring at its own {@link SessionRecord#expiresAt()}, with a
 * per-user index for "your devices" and "log out everywhere". Nothing survives a restart.
 *
 * <p>Every change to a session and to its entry in the user index happens inside one atomic
 * compute on that session's key, so concurrent deltas merge attribute by attribute and the index
 * never holds a session bound to someone else. The store keeps the attribute arrays it is given
 * without copying them.
 */
public final class MemorySessionStore implements SessionStore {

  /** Session bound when none is given. */
  public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

  private final Clock clock;
  private final long maximumSize;
  private final Cache<String, SessionRecord> cache;
  private final ConcurrentMap<String, SessionRecord> sessions;
  private final ConcurrentMap<String, Set<String>> keysByUser = new ConcurrentHashMap<>();

  private MemorySessionStore(Builder builder) {
    this.clock = builder.clock;
    this.maximumSize = builder.maximumSize;
    boolean systemClock =
        clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone());
    Ticker ticker = systemClock
        ? Ticker.systemTicker()
        : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.cache = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .ticker(ticker)
        .expireAfter(new UntilExpiresAt())
        // Runs inside the atomic removal of the entry, so the index stays in step with it.
        .<String, SessionRecord>evictionListener((key, record, cause) -> {
          if (key != null && record != null) {
            unindex(record.userId(), key);
          }
        })
        .build();
    this.sessions = cache.asMap();
  }

  /** Starts configuring a memory session store. */
  public static Builder builder() {
    return new Builder();
  }

  /** Caffeine expiry that lets each session live until its own expiresAt. */
  private final class UntilExpiresAt implements Expiry<String, SessionRecord> {
    @Override
    public long expireAfterCreate(String key, SessionRecord record, long currentTime) {
      return nanosUntil(record.expiresAt());
    }

    @Override
    public long expireAfterUpdate(
        String key, SessionRecord record, long currentTime, long currentDuration) {
      return nanosUntil(record.expiresAt());
    }

    @Override
    public long expireAfterRead(
        String key, SessionRecord record, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long nanosUntil(Instant expiresAt) {
      long millis = expiresAt.toEpochMilli() - clock.millis();
      return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }
  }

  private void index(String userId, String key) {
    if (userId != null) {
      keysByUser.compute(userId, (user, keys) -> {
        Set<String> updated = keys != null ? keys : ConcurrentHashMap.newKeySet();
        updated.add(key);
        return updated;
      });
    }
  }

  private void unindex(String userId, String key) {
    if (userId != null) {
      keysByUser.computeIfPresent(userId, (user, keys) -> {
        keys.remove(key);
        return keys.isEmpty() ? null : keys;
      });
    }
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    SessionRecord record = cache.getIfPresent(key);
    if (record == null || !record.isExpiredAt(now)) {
      return record;
    }
    removeIfExpired(key, now);
    return null;
  }

  /** Removes the session if it is dead at {@code now}; returns whether it did. */
  private boolean removeIfExpired(String key, Instant now) {
    boolean[] removed = new boolean[1];
    sessions.computeIfPresent(key, (k, current) -> {
      if (!current.isExpiredAt(now)) {
        return current;
      }
      unindex(current.userId(), k);
      removed[0] = true;
      return null;
    });
    return removed[0];
  }

  @Override
  public void create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    sessions.compute(record.key(), (key, previous) -> {
      if (previous != null && !Objects.equals(previous.userId(), record.userId())) {
        unindex(previous.userId(), key);
      }
      index(record.userId(), key);
      return record;
    });
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    Objects.requireNonNull(delta, "delta");
    boolean[] applied = new boolean[1];
    sessions.computeIfPresent(key, (k, current) -> {
      if (current.isExpiredAt(now)) {
        unindex(current.userId(), k);
        return null;
      }
      applied[0] = true;
      return applied(current, delta);
    });
    return applied[0];
  }

  /** {@code current} with {@code delta} applied, the index moved if the user changed. */
  private SessionRecord applied(SessionRecord current, SessionDelta delta) {
    Map<String, byte[]> attributes = current.attributes();
    if (!delta.changed().isEmpty() || !delta.removed().isEmpty()) {
      attributes = new HashMap<>(attributes);
      attributes.putAll(delta.changed());
      attributes.keySet().removeAll(delta.removed());
    }
    String userId = current.userId();
    if (delta.userId() != null && !delta.userId().equals(userId)) {
      unindex(userId, current.key());
      userId = delta.userId();
      index(userId, current.key());
    }
    return new SessionRecord(
        current.key(),
        current.createdAt(),
        later(current.lastAccessedAt(), delta.lastAccessedAt()),
        later(current.expiresAt(), delta.expiresAt()),
        userId,
        attributes);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  public boolean delete(String key) {
    boolean[] removed = new boolean[1];
    sessions.computeIfPresent(key, (k, current) -> {
      unindex(current.userId(), k);
      removed[0] = true;
      return null;
    });
    return removed[0];
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    Objects.requireNonNull(userId, "userId");
    List<SessionRecord> found = new ArrayList<>();
    for (String key : indexedKeys(userId)) {
      SessionRecord live = pruned(userId, key, now);
      if (live != null) {
        found.add(live);
      }
    }
    return found;
  }

  /**
   * The session at {@code key} if it is live at {@code now} and bound to {@code userId}; otherwise
   * drops it from the user's index (and drops it altogether if it expired).
   */
  private SessionRecord pruned(String userId, String key, Instant now) {
    SessionRecord[] live = new SessionRecord[1];
    sessions.compute(key, (k, current) -> {
      if (current != null && current.isExpiredAt(now)) {
        unindex(current.userId(), k);
        unindex(userId, k);
        return null;
      }
      if (current == null || !userId.equals(current.userId())) {
        unindex(userId, k);
      } else {
        live[0] = current;
      }
      return current;
    });
    return live[0];
  }

  private List<String> indexedKeys(String userId) {
    Set<String> keys = keysByUser.get(userId);
    return keys == null ? List.of() : new ArrayList<>(keys);
  }

  @Override
  public long deleteByUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    long removed = 0;
    for (String key : indexedKeys(userId)) {
      boolean[] mine = new boolean[1];
      sessions.compute(key, (k, current) -> {
        unindex(userId, k);
        if (current != null && userId.equals(current.userId())) {
          mine[0] = true;
          return null;
        }
        return current;
      });
      if (mine[0]) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public long purgeExpired(Instant now) {
    long removed = 0;
    for (Map.Entry<String, SessionRecord> entry : sessions.entrySet()) {
      if (entry.getValue().isExpiredAt(now) && removeIfExpired(entry.getKey(), now)) {
        removed++;
      }
    }
    cache.cleanUp();
    for (String userId : new ArrayList<>(keysByUser.keySet())) {
      for (String key : indexedKeys(userId)) {
        pruned(userId, key, now);
      }
    }
    return removed;
  }

  /** How many sessions are held, expired ones not yet removed included; an estimate. */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  /** How many keys the user index holds for {@code userId}; tests check that it is pruned. */
  long indexedSessionsOf(String userId) {
    Set<String> keys = keysByUser.get(userId);
    return keys == null ? 0 : keys.size();
  }

  @Override
  public String description() {
    return "memory sessions (at most " + maximumSize + ")";
  }

  @Override
  public void close() {
    cache.invalidateAll();
    keysByUser.clear();
  }

  @Override
  public String toString() {
    return description();
  }

  /** Configures a {@link MemorySessionStore}. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Bounds the store by session count; when full, the least used sessions are dropped. */
    public Builder maximumSize(long sessions) {
      if (sessions <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive, was " + sessions);
      }
      this.maximumSize = sessions;
      return this;
    }

    /** The clock that expiry is measured with; tests pass one they can advance. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the store. */
    public MemorySessionStore build() {
      return new MemorySessionStore(this);
    }
  }
}
