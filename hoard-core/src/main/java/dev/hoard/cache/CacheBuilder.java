package dev.hoard.cache;

import dev.hoard.cache.internal.CacheSettings;
import dev.hoard.cache.internal.DefaultCache;
import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.ReplayOverflowPolicy;
import dev.hoard.cache.resilience.ResilientCacheStore;
import dev.hoard.cache.spi.BlockingIo;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/** Configures a {@link Cache} over a store; obtain one from {@link Cache#builder(CacheStore)}. */
public final class CacheBuilder {

  private final CacheStore store;
  private String name = "default";
  private Duration defaultTtl = Duration.ofHours(1);
  private Codec codec;
  private Executor executor = BlockingIo.executor();
  private double ttlJitter;
  private FailureMode failureMode;
  private CacheStore fallback;
  private CircuitBreakerSettings circuitBreaker;
  private Duration rememberLock;
  private Integer replayCapacity;
  private ReplayOverflowPolicy replayOverflow;

  CacheBuilder(CacheStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The name shown in statistics and logs; {@code default} unless set. */
  public CacheBuilder name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The TTL of {@link Cache#put(String, Object)}; one hour unless set. */
  public CacheBuilder defaultTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("defaultTtl must be positive, was " + ttl);
    }
    this.defaultTtl = ttl;
    return this;
  }

  /**
   * How values become bytes; JSON unless set. Ignored by stores that keep values by reference
   * (the memory store, unless it was built to copy values).
   */
  public CacheBuilder codec(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    return this;
  }

  /**
   * Shortens each written TTL by a random share of up to {@code fraction}, so entries written
   * together (say, after a deploy) do not all expire in the same instant. Off unless set.
   *
   * @param fraction between 0 (no jitter) and 0.5
   */
  public CacheBuilder ttlJitter(double fraction) {
    if (!(fraction >= 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("ttlJitter must be between 0 and 0.5, was " + fraction);
    }
    this.ttlJitter = fraction;
    return this;
  }

  /**
   * Where {@link Cache#async()} runs what has no non-blocking form (blocking loaders, key scans,
   * tagged views); {@link BlockingIo#executor()}, a bounded pool sized for blocking calls, unless
   * set. Never the common pool, whose parallelism is 1 on a 2-core host.
   */
  public CacheBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * What the application sees when the store fails; {@link FailureMode#FAIL_OPEN} unless set, so
   * that a cache outage makes the application slower, not broken. See {@link ResilientCacheStore}.
   */
  public CacheBuilder failureMode(FailureMode mode) {
    this.failureMode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /**
   * The store to use while the store fails; selects {@link FailureMode#FALLBACK}. It must keep
   * values in the same form (bytes or references). Fallback mode without one uses memory.
   */
  public CacheBuilder fallback(CacheStore fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.failureMode = FailureMode.FALLBACK;
    return this;
  }

  /** When the store's circuit breaker opens and for how long; see {@link CircuitBreakerSettings}. */
  public CacheBuilder circuitBreaker(CircuitBreakerSettings settings) {
    this.circuitBreaker = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * How many invalidated keys are kept for replay while the store fails, and what happens beyond;
   * 10,000 and {@link ReplayOverflowPolicy#CLEAR} unless set. See {@link
   * ResilientCacheStore.Builder#invalidationReplay}.
   */
  public CacheBuilder invalidationReplay(int capacity, ReplayOverflowPolicy onOverflow) {
    if (capacity < 0) {
      throw new IllegalArgumentException(
          "the replay queue capacity must not be negative, was " + capacity);
    }
    this.replayCapacity = capacity;
    this.replayOverflow = Objects.requireNonNull(onOverflow, "onOverflow");
    return this;
  }

  /**
   * Makes {@link Cache#remember} take a lock in the store before it runs a loader, so that of all
   * the processes sharing the store only one loads a missing key while the others wait for its
   * value. Without it, loads are single-flight per process only. {@code lease} is the longest a
   * load may hold the lock: if the holder dies or takes longer, another process loads after it,
   * and no caller waits longer than twice the lease before loading by itself. Needs a store with
   * {@link StoreCapability#LOCKS} (Redis; memory, where it adds nothing); off unless set.
   */
  public CacheBuilder rememberLock(Duration lease) {
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("rememberLock lease must be positive, was " + lease);
    }
    this.rememberLock = lease;
    return this;
  }

  /**
   * Builds the cache; closing it closes the store (and the fallback). The store is wrapped in a
   * {@link ResilientCacheStore} unless it already is one, or it is a memory store and no failure
   * behaviour was configured.
   *
   * @throws IllegalArgumentException if the store is already a {@link ResilientCacheStore} and
   *     failure behaviour was configured here too, the fallback does not fit the store, or a
   *     remember lock was asked of a store that cannot hold locks
   */
  public Cache build() {
    boolean references = store.capabilities().contains(StoreCapability.STORES_REFERENCES);
    if (rememberLock != null && !store.capabilities().contains(StoreCapability.LOCKS)) {
      throw new IllegalArgumentException(
          "rememberLock needs a store that can hold locks, and " + store.description()
              + " cannot; use Redis, or leave rememberLock out (loads are then single-flight per"
              + " process)");
    }
    Codec effective = codec != null ? codec : Codecs.json();
    return DefaultCache.create(new CacheSettings(name, resilient(), references ? null : effective,
        defaultTtl, ttlJitter, executor, rememberLock));
  }

  private CacheStore resilient() {
    if (store instanceof ResilientCacheStore) {
      if (failureMode != null || circuitBreaker != null || replayOverflow != null) {
        throw new IllegalArgumentException(
            "store " + store.description() + " already has its failure behaviour; configure it"
                + " on the ResilientCacheStore or here, not both");
      }
      return store;
    }
    if (store instanceof MemoryCacheStore && failureMode == null && circuitBreaker == null
        && replayOverflow == null) {
      // It lives in this process: there is no outage to survive, and its hits stay unwrapped.
      return store;
    }
    ResilientCacheStore.Builder wrapper = ResilientCacheStore.builder(store)
        .mode(failureMode != null ? failureMode : FailureMode.FAIL_OPEN);
    if (fallback != null) {
      wrapper.fallback(fallback);
    }
    if (circuitBreaker != null) {
      wrapper.circuitBreaker(circuitBreaker);
    }
    if (replayOverflow != null) {
      wrapper.invalidationReplay(replayCapacity, replayOverflow);
    }
    return wrapper.build();
  }
}
