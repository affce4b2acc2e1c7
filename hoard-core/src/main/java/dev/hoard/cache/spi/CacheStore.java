package dev.hoard.cache.spi;

import dev.hoard.cache.StoreReport;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The few primitive operations a cache backend must do well; everything else is built above it.
 *
 * <p>Keys arrive fully formed (namespaces and scopes already applied). Values are in their stored
 * form: a {@code byte[]} unless the store declares {@link StoreCapability#STORES_REFERENCES}, in
 * which case any object may be kept by reference. Counters written by {@link #increment} are stored
 * as ASCII decimal bytes in byte stores (so other clients and native server counters agree) and as
 * {@link Long} in reference stores.
 *
 * <p>Expiry is absolute, in epoch milliseconds of {@link #clock()}; {@link #NEVER} means no expiry.
 * An expired entry must never be returned, even before it is purged.
 *
 * <p>Implementations are thread-safe. They report failures as unchecked exceptions (usually
 * {@link dev.hoard.cache.CacheException}); fail-open and fallback behaviour is layered above.
 */
public interface CacheStore extends AutoCloseable {

  /** The expiry of an entry that never expires. */
  long NEVER = Long.MAX_VALUE;

  /** Returned by {@link #expiresAt} for a key that is absent. */
  long ABSENT = -1;

  /** The failure domain of a store that fails as a whole, and of calls that span every domain. */
  String WHOLE_STORE = "";

  /** The clock that expiry times are measured against. */
  Clock clock();

  /** What this store can do beyond the basic operations. */
  Set<StoreCapability> capabilities();

  /** A short description for logs and the CLI, never containing credentials. */
  String description();

  /** The stored value, or {@code null} when absent or expired. */
  Object get(String key);

  /**
   * The stored value with its expiry, or {@code null} when absent or expired. Near caches use it
   * to keep a copy no longer than the original lives. Remote stores answer in one round trip.
   */
  default ValueWithExpiry getWithExpiry(String key) {
    Object value = get(key);
    if (value == null) {
      return null;
    }
    long expiresAt = expiresAt(key);
    // Deleted between the two reads: the value is gone now, so report it gone.
    return expiresAt == ABSENT ? null : new ValueWithExpiry(value, expiresAt);
  }

  /**
   * The value at {@code key} as {@code decoder} reads it as {@code type}, or {@code null} when
   * absent. A store may keep the decoded object with its entry and hand the same object out again
   * while the entry is unchanged (a memory store built with {@code shareDecodedValues()}, such as
   * a near cache's L1), so that a hit costs no decoding; callers then share it and must not mutate
   * it. By default the stored value is decoded on every call.
   *
   * @throws dev.hoard.codec.DecodingException if the stored value cannot be read as {@code type}
   */
  default Object getDecoded(String key, Type type, ValueDecoder decoder) {
    Object stored = get(key);
    return stored == null ? null : decoder.decode(stored, type);
  }

  /** Stores the value, replacing any previous one. */
  void put(String key, Object value, long expiresAt);

  /** Stores the value only when no live entry exists; returns whether it was stored. Atomic. */
  boolean putIfAbsent(String key, Object value, long expiresAt);

  /** Removes the entry; returns whether a live entry was removed (best effort on some stores). */
  boolean delete(String key);

  /**
   * Atomically adds {@code delta} to the counter at {@code key} and returns the new value. An
   * absent key starts at zero and gets {@code expiresAtIfCreated}; an existing key keeps its expiry.
   *
   * @throws IllegalStateException if the key holds something other than a counter
   */
  long increment(String key, long delta, long expiresAtIfCreated);

  /** Sets a new expiry on a live entry; returns whether the entry existed. */
  boolean touch(String key, long expiresAt);

  /** The absolute expiry of a live entry, {@link #NEVER}, or {@link #ABSENT}. */
  long expiresAt(String key);

  /**
   * The live keys matching the glob, streamed; callers close the stream. Stores without {@link
   * StoreCapability#KEY_SCAN} throw {@link UnsupportedOperationException}.
   */
  Stream<String> keys(Glob glob);

  /** Removes every entry of this store (only this store's own prefix on shared servers). */
  void clear();

  /** The live entries among {@code keys}; absent keys are left out. Remote stores batch this. */
  default Map<String, Object> getAll(Collection<String> keys) {
    Map<String, Object> found = new HashMap<>();
    for (String key : keys) {
      Object value = get(key);
      if (value != null) {
        found.put(key, value);
      }
    }
    return found;
  }

  /**
   * {@link #getWithExpiry} for several keys; absent keys are left out. Remote stores batch this.
   */
  default Map<String, ValueWithExpiry> getAllWithExpiry(Collection<String> keys) {
    Map<String, ValueWithExpiry> found = new HashMap<>();
    for (String key : keys) {
      ValueWithExpiry entry = getWithExpiry(key);
      if (entry != null) {
        found.put(key, entry);
      }
    }
    return found;
  }

  /** Stores every entry with one expiry. Remote stores pipeline this. */
  default void putAll(Map<String, ?> entries, long expiresAt) {
    entries.forEach((key, value) -> put(key, value, expiresAt));
  }

  /** Removes the keys; returns how many live entries were removed. */
  default long deleteAll(Collection<String> keys) {
    long removed = 0;
    for (String key : keys) {
      if (delete(key)) {
        removed++;
      }
    }
    return removed;
  }

  /** Removes every live entry whose key matches the glob; returns how many. */
  default long deleteMatching(Glob glob) {
    try (Stream<String> matching = keys(glob)) {
      return matching.filter(this::delete).count();
    }
  }

  /**
   * Takes the lock named {@code key} for the holder {@code token} until {@code expiresAt}, unless
   * a live holder has it; atomic across every process sharing the store. The lock is an entry
   * holding the token, so it expires like one: the expiry is the lease that frees the lock when its
   * holder dies. Stores without {@link StoreCapability#LOCKS} throw {@link
   * UnsupportedOperationException}.
   *
   * @return whether {@code token} holds the lock now
   */
  default boolean tryLock(String key, byte[] token, long expiresAt) {
    throw new UnsupportedOperationException(description() + " cannot hold locks");
  }

  /**
   * Releases the lock named {@code key} if {@code token} still holds it, atomically: a holder whose
   * lease ran out never frees the lock a later holder took.
   *
   * @return whether the lock was released
   */
  default boolean unlock(String key, byte[] token) {
    throw new UnsupportedOperationException(description() + " cannot hold locks");
  }

  /**
   * Atomically reads the token-bucket state (a GCRA "theoretical arrival time") at {@code key},
   * applies {@code step}, and stores the new state with a time to live of {@link
   * GcraStep#ttlMillis} when the step is allowed; a refused step changes nothing. The state lives
   * alongside the store's other entries and expires like them. Stores without {@link
   * StoreCapability#GCRA} throw {@link UnsupportedOperationException}; rate limits on them use
   * the window algorithms, which need only {@link #increment}.
   *
   * @throws IllegalStateException if the key holds something other than token-bucket state
   */
  default GcraOutcome gcra(String key, GcraStep step) {
    throw new UnsupportedOperationException(description() + " cannot run a token bucket");
  }

  /**
   * The part of the store that serves {@code key}, for stores whose parts fail independently and
   * declare {@link StoreCapability#FAILURE_DOMAINS} (a Redis Cluster answers with the master that
   * owns the key's slot). A {@link dev.hoard.cache.resilience.ResilientCacheStore} keeps one
   * circuit breaker per domain, so one dead node does not stop keys served by healthy ones. It
   * is asked on every call: answer from memory, never from the server. Stores that fail as a
   * whole need not override it: they answer {@link #WHOLE_STORE}.
   */
  default String failureDomain(String key) {
    return WHOLE_STORE;
  }

  /**
   * Asks to be told each time a connection of this store to its server is established again
   * after it was lost (or first established, for a store that connects in the background), so
   * that a circuit breaker can close at once instead of after its cool-down. Stores that keep no
   * connection never call it, which is the default.
   */
  default void addConnectionListener(ConnectionListener listener) {}

  /** Counters the store keeps itself (evictions, expirations, errors, size). */
  default StoreStatistics statistics() {
    return StoreStatistics.NONE;
  }

  /**
   * Asks the store's servers what they hold: entries under this store's prefix or in its table,
   * memory, per-server figures. It may cost a round trip per server or a bounded scan, so callers
   * do not ask often: a {@link dev.hoard.cache.Cache} reuses the answer for {@link
   * StoreReport#FRESHNESS}. A server that does not answer fails the call (the cache then keeps its
   * last report). Stores whose servers can tell nothing need not override it.
   */
  default StoreReport report() {
    return StoreReport.EMPTY;
  }

  // ---- the non-blocking form of the basic operations
  //
  // Each completes with what its synchronous twin returns, or exceptionally with what it would
  // throw. Stores on an asynchronous client (Redis, Memcached) implement them natively; by default
  // a call runs on the caller's thread when the store is NON_BLOCKING and on BlockingIo otherwise,
  // so that no caller's thread waits on a store that has no asynchronous client.

  /** {@link #get} without blocking the caller. */
  default CompletionStage<Object> getAsync(String key) {
    return BlockingIo.call(this, () -> get(key));
  }

  /** {@link #getWithExpiry} without blocking the caller. */
  default CompletionStage<ValueWithExpiry> getWithExpiryAsync(String key) {
    return BlockingIo.call(this, () -> getWithExpiry(key));
  }

  /** {@link #getAll} without blocking the caller. */
  default CompletionStage<Map<String, Object>> getAllAsync(Collection<String> keys) {
    return BlockingIo.call(this, () -> getAll(keys));
  }

  /** {@link #put} without blocking the caller. */
  default CompletionStage<Void> putAsync(String key, Object value, long expiresAt) {
    return BlockingIo.call(this, () -> {
      put(key, value, expiresAt);
      return null;
    });
  }

  /** {@link #putIfAbsent} without blocking the caller. */
  default CompletionStage<Boolean> putIfAbsentAsync(String key, Object value, long expiresAt) {
    return BlockingIo.call(this, () -> putIfAbsent(key, value, expiresAt));
  }

  /** {@link #putAll} without blocking the caller. */
  default CompletionStage<Void> putAllAsync(Map<String, ?> entries, long expiresAt) {
    return BlockingIo.call(this, () -> {
      putAll(entries, expiresAt);
      return null;
    });
  }

  /** {@link #delete} without blocking the caller. */
  default CompletionStage<Boolean> deleteAsync(String key) {
    return BlockingIo.call(this, () -> delete(key));
  }

  /** {@link #deleteAll} without blocking the caller. */
  default CompletionStage<Long> deleteAllAsync(Collection<String> keys) {
    return BlockingIo.call(this, () -> deleteAll(keys));
  }

  /** {@link #increment} without blocking the caller. */
  default CompletionStage<Long> incrementAsync(String key, long delta, long expiresAtIfCreated) {
    return BlockingIo.call(this, () -> increment(key, delta, expiresAtIfCreated));
  }

  /** {@link #touch} without blocking the caller. */
  default CompletionStage<Boolean> touchAsync(String key, long expiresAt) {
    return BlockingIo.call(this, () -> touch(key, expiresAt));
  }

  /** {@link #expiresAt} without blocking the caller. */
  default CompletionStage<Long> expiresAtAsync(String key) {
    return BlockingIo.call(this, () -> expiresAt(key));
  }

  /** Releases connections, threads and files. */
  @Override
  void close();
}
