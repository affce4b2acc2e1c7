package dev.hoard.cache.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.CacheStore;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the loaders of {@link Cache#remember} once per missing key: in this process one caller
 * loads while the others wait for its value, and with a lock lease one process of all that share
 * the store loads while the others wait for it to store the value. A cache and its views share one.
 */
final class SingleFlightLoader {

  // Under the cache's logger: these are the cache's warnings, and users configure them there.
  private static final Logger log = LoggerFactory.getLogger(DefaultCache.class);
  private static final long FIRST_LOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long LONGEST_LOCK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** One {@code remember} call that missed, as the loader needs it. */
  interface Load {

    /** The store key loaded; callers loading the same one share the result. */
    String storeKey();

    /** The store key of the lock taken across processes. */
    String lockKey();

    /** The type the caller asked for. */
    Type type();

    /** The live, readable value at the store key, or null. */
    Object cached();

    /** Runs the caller's loader and stores what it returns; returns it. */
    Object loadAndStore();
  }

  private final String cacheName;
  private final CacheStore store;
  private final Duration lockLease;
  private final ConcurrentMap<String, CompletableFuture<Object>> loading =
      new ConcurrentHashMap<>();

  /** {@code lockLease} is null when loads are single-flight in this process only. */
  SingleFlightLoader(String cacheName, CacheStore store, Duration lockLease) {
    this.cacheName = cacheName;
    this.store = store;
    this.lockLease = lockLease;
  }

  /** The loaded value, from this caller's load or from the one already running for the key. */
  Object load(Load load) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = loading.putIfAbsent(load.storeKey(), mine);
    if (running != null) {
      return await(running, load.type());
    }
    try {
      Object loaded = loadOnce(load);
      mine.complete(loaded);
      return loaded;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(load.storeKey(), mine);
    }
  }

  /**
   * {@link #load} without blocking: joins the load already running for the key (started by a
   * synchronous or an asynchronous caller) or starts {@code loadOnce}, which neither waits nor
   * takes the store lock, and shares its outcome. A failed load fails every caller that shared it.
   */
  CompletableFuture<Object> loadAsync(
      String storeKey, Type type, Supplier<CompletableFuture<Object>> loadOnce) {
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> running = loading.putIfAbsent(storeKey, mine);
    if (running != null) {
      return running.thenApply(
          value -> value == null || ValueEncoding.rawClass(type).isInstance(value) ? value : null);
    }
    CompletableFuture<Object> started;
    try {
      started = loadOnce.get();
    } catch (RuntimeException | Error e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((value, failure) -> {
      if (failure == null) {
        mine.complete(value);
      } else {
        mine.completeExceptionally(
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure);
      }
      loading.remove(storeKey, mine);
    });
    return mine;
  }

  private Object loadOnce(Load load) {
    // Another caller may have finished loading between our miss and our claim.
    Object cached = load.cached();
    if (cached != null) {
      return cached;
    }
    return lockLease == null ? load.loadAndStore() : loadUnderLock(load);
  }

  /**
   * Runs the loader only while holding the key's lock in the store, so one process of all that
   * share the store loads; the others wait for its value, taking the lock themselves if it is freed
   * without one (the holder failed) or its lease runs out. Waiting is bounded: after twice the
   * lease a caller loads by itself.
   */
  private Object loadUnderLock(Load load) {
    String lockKey = load.lockKey();
    byte[] token = new byte[16];
    ThreadLocalRandom.current().nextBytes(token);
    long leaseMillis = Math.max(1, lockLease.toMillis());
    long giveUpAt = System.nanoTime() + 2 * lockLease.toNanos();
    long pause = FIRST_LOCK_PAUSE_NANOS;
    while (true) {
      if (store.tryLock(lockKey, token, store.clock().millis() + leaseMillis)) {
        try {
          // The previous holder may have stored the value just before it let go.
          Object cached = load.cached();
          return cached != null ? cached : load.loadAndStore();
        } finally {
          unlockQuietly(lockKey, token);
        }
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(2 * pause, LONGEST_LOCK_PAUSE_NANOS);
      Object cached = load.cached();
      if (cached != null) {
        return cached;
      }
      if (System.nanoTime() - giveUpAt > 0 || Thread.currentThread().isInterrupted()) {
        log.warn("cache '{}': waited {} for another process to load {}; loading here too",
            cacheName, lockLease.multipliedBy(2), KeySpace.printable(load.storeKey()));
        return load.loadAndStore();
      }
    }
  }

  private void unlockQuietly(String lockKey, byte[] token) {
    try {
      store.unlock(lockKey, token);
    } catch (RuntimeException e) {
      // The value (or the loader's failure) matters more; the lease frees the lock anyway.
      log.warn("cache '{}': could not release the load lock {}; it frees itself after {}: {}",
          cacheName, KeySpace.printable(lockKey), lockLease, e.toString());
    }
  }

  private static Object await(CompletableFuture<Object> running, Type type) {
    try {
      Object value = running.join();
      return value == null || ValueEncoding.rawClass(type).isInstance(value) ? value : null;
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
}
