package dev.hoard.cache.resilience;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.internal.CircuitBreaker;
import dev.hoard.cache.resilience.internal.CircuitBreaker.Permit;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.spi.StoredEntry;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.codec.DecodingException;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps any store in a circuit breaker and a {@link FailureMode}: what the application sees when
 * the store fails. {@link dev.hoard.cache.CacheBuilder} wraps every store in one (fail-open unless
 * told otherwise); build one yourself to compose stores.
 *
 * <ul>
 *   <li>{@link FailureMode#STRICT}: failures surface as {@link CacheException}; while the breaker is
 *       open calls fail fast without waiting on the store.
 *   <li>{@link FailureMode#FAIL_OPEN}: reads are misses, writes and deletes are dropped, {@code
 *       increment} returns {@code delta} as if the counter had just been created (so a rate limit
 *       fails open too), key listings are empty; each absorbed call counts in {@link
 *       StoreStatistics#errors()}. A dropped delete or clear is lost: the old entry can be read
 *       again once the store is back, until it expires.
 *   <li>{@link FailureMode#FALLBACK}: a failed call and every call while the breaker is open go to
 *       the fallback store. The fallback is emptied when the breaker opens and when it closes, so it
 *       only ever serves what was written during the current outage; writes made there are not
 *       copied back to the primary.
 * </ul>
 *
 * <p>Exceptions that report a bad call rather than a failing store ({@link
 * IllegalArgumentException}, {@link IllegalStateException} such as incrementing a non-counter,
 * {@link UnsupportedOperationException}, {@link NullPointerException}, {@link ArithmeticException},
 * {@link ClassCastException}, and {@link DecodingException} for a value that cannot be read) pass
 * through untouched in every mode and count as answers.
 *
 * <p>The breaker logs one WARN when it opens and one INFO when it closes, never a line per call.
 */
public final class ResilientCacheStore implements CacheStore {

  private static final Logger log = LoggerFactory.getLogger(ResilientCacheStore.class);

  private final CacheStore primary;
  private final CacheStore fallback;
  private final FailureMode mode;
  private final CircuitBreakerSettings settings;
  private final CircuitBreaker breaker;
  private final LongAdder absorbed = new LongAdder();
  private volatile StoreStatistics lastStatistics = StoreStatistics.NONE;

  private ResilientCacheStore(Builder builder, CacheStore fallback) {
    this.primary = builder.primary;
    this.fallback = fallback;
    this.mode = builder.mode;
    this.settings = builder.settings;
    Clock clock = builder.clock != null ? builder.clock : primary.clock();
    this.breaker = new CircuitBreaker(settings, clock, new Logging());
  }

  /** Starts wrapping {@code primary}; fail-open with {@link CircuitBreakerSettings#defaults()}. */
  public static Builder builder(CacheStore primary) {
    return new Builder(primary);
  }

  /** What this store does when the primary fails. */
  public FailureMode mode() {
    return mode;
  }

  /** Where the circuit breaker stands. */
  public CircuitState circuitState() {
    return breaker.state();
  }

  /** The wrapped store. */
  public CacheStore primary() {
    return primary;
  }

  /** Logs each state change once and keeps the fallback limited to the current outage. */
  private final class Logging implements CircuitBreaker.Transitions {
    @Override
    public void opened(String reason, Throwable lastFailure) {
      clearFallback();
      log.warn("cache store {} is failing ({}); circuit breaker open: {} for {}, then one trial"
              + " call. Last failure: {}", primary.description(), reason, consequence(),
          settings.coolDown(), String.valueOf(lastFailure));
    }

    @Override
    public void trialFailed(Throwable failure) {
      log.debug("cache store {} still failing: {}", primary.description(), failure.toString());
    }

    @Override
    public void closed() {
      clearFallback();
      log.info("cache store {} answers again; circuit breaker closed", primary.description());
    }
  }

  private String consequence() {
    return switch (mode) {
      case STRICT -> "calls fail fast with CacheException";
      case FAIL_OPEN -> "reads are misses and writes are dropped";
      case FALLBACK -> "calls go to " + fallback.description();
    };
  }

  private void clearFallback() {
    if (fallback != null) {
      fallback.clear();
    }
  }

  // ---- the one path every call takes

  /** One store operation, applied to the primary or to the fallback. */
  @FunctionalInterface
  private interface Call<T> {
    T on(CacheStore store);
  }

  private <T> T call(String operation, Call<T> call, T failOpenResult) {
    Permit permit = breaker.acquire();
    if (permit == Permit.REJECTED) {
      return degraded(operation, call, failOpenResult, null);
    }
    T result;
    try {
      result = call.on(primary);
    } catch (RuntimeException e) {
      if (isCallerError(e)) {
        breaker.succeeded(permit);
        throw e;
      }
      breaker.failed(permit, e);
      return degraded(operation, call, failOpenResult, e);
    } catch (Error e) {
      breaker.failed(permit, e);
      throw e;
    }
    breaker.succeeded(permit);
    return result;
  }

  private <T> T degraded(String operation, Call<T> call, T failOpenResult, RuntimeException cause) {
    switch (mode) {
      case STRICT:
        throw failure(operation, cause);
      case FAIL_OPEN:
        absorbed.increment();
        return failOpenResult;
      default:
        if (cause != null) {
          absorbed.increment();
        }
        return call.on(fallback);
    }
  }

  private CacheException failure(String operation, RuntimeException cause) {
    if (cause == null) {
      return new CacheException(
          "cache store " + primary.description() + " is failing; circuit breaker open, " + operation
              + " not attempted (a trial call is made every " + settings.coolDown() + ")");
    }
    if (cause instanceof CacheException cacheException) {
      return cacheException;
    }
    return new CacheException(
        "cache store " + primary.description() + " failed on " + operation + ": " + cause, cause);
  }

  private static boolean isCallerError(RuntimeException e) {
    return e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException
        || e instanceof NullPointerException
        || e instanceof ArithmeticException
        || e instanceof ClassCastException
        || e instanceof DecodingException;
  }

  // ---- CacheStore

  @Override
  public Clock clock() {
    return primary.clock();
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return primary.capabilities();
  }

  @Override
  public String description() {
    return primary.description() + " (" + switch (mode) {
      case STRICT -> "strict";
      case FAIL_OPEN -> "fail-open";
      case FALLBACK -> "fallback to " + fallback.description();
    } + ")";
  }

  @Override
  public Object get(String key) {
    return call("get", store -> store.get(key), null);
  }

  @Override
  public Object getDecoded(String key, Type type, ValueDecoder decoder) {
    return call("get", store -> store.getDecoded(key, type, decoder), null);
  }

  @Override
  public StoredEntry getWithExpiry(String key) {
    return call("get", store -> store.getWithExpiry(key), null);
  }

  @Override
  public Map<String, StoredEntry> getAllWithExpiry(Collection<String> keys) {
    return call("getAll", store -> store.getAllWithExpiry(keys), Map.of());
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    call("put", store -> {
      store.put(key, value, expiresAt);
      return null;
    }, null);
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    return call("putIfAbsent", store -> store.putIfAbsent(key, value, expiresAt), false);
  }

  @Override
  public boolean delete(String key) {
    return call("delete", store -> store.delete(key), false);
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    return call("increment", store -> store.increment(key, delta, expiresAtIfCreated), delta);
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    return call("touch", store -> store.touch(key, expiresAt), false);
  }

  /**
   * Fail-open counts a failing store as a lock taken, so that the caller loads by itself (as it
   * would with no lock at all) instead of waiting for a holder that is not there.
   */
  @Override
  public boolean tryLock(String key, byte[] token, long expiresAt) {
    return call("tryLock", store -> store.tryLock(key, token, expiresAt), true);
  }

  @Override
  public boolean unlock(String key, byte[] token) {
    return call("unlock", store -> store.unlock(key, token), false);
  }

  @Override
  public long expiresAt(String key) {
    return call("expiresAt", store -> store.expiresAt(key), ABSENT);
  }

  @Override
  public Stream<String> keys(Glob glob) {
    Objects.requireNonNull(glob, "glob");
    Permit permit = breaker.acquire();
    if (permit == Permit.REJECTED) {
      return degraded("keys", store -> store.keys(glob), Stream.empty(), null);
    }
    Stream<String> keys;
    try {
      keys = primary.keys(glob);
    } catch (RuntimeException e) {
      if (isCallerError(e)) {
        breaker.succeeded(permit);
        throw e;
      }
      breaker.failed(permit, e);
      return degraded("keys", store -> store.keys(glob), Stream.empty(), e);
    }
    breaker.succeeded(permit);
    return guarded(keys);
  }

  /**
   * The primary's key stream, with a failure part-way through treated like a failed call: it ends
   * the stream early (fail-open, fallback) or becomes a {@link CacheException} (strict).
   */
  private Stream<String> guarded(Stream<String> keys) {
    Spliterator<String> source = keys.spliterator();
    Spliterator<String> guarded =
        new Spliterators.AbstractSpliterator<String>(Long.MAX_VALUE, Spliterator.NONNULL) {
          private String next;

          @Override
          public boolean tryAdvance(Consumer<? super String> action) {
            boolean advanced;
            try {
              advanced = source.tryAdvance(key -> next = key);
            } catch (RuntimeException e) {
              if (isCallerError(e)) {
                throw e;
              }
              breaker.failed(Permit.CALL, e);
              if (mode == FailureMode.STRICT) {
                throw failure("keys", e);
              }
              absorbed.increment();
              return false;
            }
            if (advanced) {
              // Outside the try: an exception from the caller's pipeline is not a store failure.
              action.accept(next);
            }
            return advanced;
          }
        };
    return StreamSupport.stream(guarded, false).onClose(keys::close);
  }

  @Override
  public void clear() {
    call("clear", store -> {
      store.clear();
      return null;
    }, null);
  }

  @Override
  public Map<String, Object> getAll(Collection<String> keys) {
    return call("getAll", store -> store.getAll(keys), Map.of());
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    call("putAll", store -> {
      store.putAll(entries, expiresAt);
      return null;
    }, null);
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    return call("deleteAll", store -> store.deleteAll(keys), 0L);
  }

  @Override
  public long deleteMatching(Glob glob) {
    return call("deleteMatching", store -> store.deleteMatching(glob), 0L);
  }

  /**
   * The primary's counters plus every call this wrapper absorbed as an error. While the breaker is
   * open the primary is not asked; its last answer is reused.
   */
  @Override
  public StoreStatistics statistics() {
    StoreStatistics store = lastStatistics;
    if (breaker.state() == CircuitState.CLOSED) {
      try {
        store = primary.statistics();
        lastStatistics = store;
      } catch (RuntimeException e) {
        // Statistics must never fail the caller; the breaker learns about failures from calls.
      }
    }
    return new StoreStatistics(
        store.evictions(), store.expirations(), store.errors() + absorbed.sum(), store.size());
  }

  /** Closes the primary and the fallback. */
  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      if (fallback != null) {
        fallback.close();
      }
    }
  }

  @Override
  public String toString() {
    return description();
  }

  /** Configures a {@link ResilientCacheStore}. */
  public static final class Builder {
    private final CacheStore primary;
    private FailureMode mode = FailureMode.FAIL_OPEN;
    private CacheStore fallback;
    private CircuitBreakerSettings settings = CircuitBreakerSettings.defaults();
    private Clock clock;

    private Builder(CacheStore primary) {
      this.primary = Objects.requireNonNull(primary, "primary");
    }

    /** What the application sees when the primary fails; {@link FailureMode#FAIL_OPEN} unless set. */
    public Builder mode(FailureMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The store used while the primary fails; selects {@link FailureMode#FALLBACK}. It must keep
     * values in the primary's form (bytes or references). Without one, fallback mode uses a
     * {@link MemoryCacheStore} of the right form on the primary's clock.
     */
    public Builder fallback(CacheStore fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      this.mode = FailureMode.FALLBACK;
      return this;
    }

    /** When the breaker opens and how long it stays open; {@link CircuitBreakerSettings#defaults()}. */
    public Builder circuitBreaker(CircuitBreakerSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** The clock the cool-down is measured on; the primary's clock unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the wrapper; closing it closes the primary and the fallback.
     *
     * @throws IllegalArgumentException if a fallback was given for another mode, or keeps values
     *     in another form than the primary
     */
    public ResilientCacheStore build() {
      CacheStore chosen = fallback;
      if (mode == FailureMode.FALLBACK) {
        boolean references = primary.capabilities().contains(StoreCapability.STORES_REFERENCES);
        if (chosen == null) {
          MemoryCacheStore.Builder memory = MemoryCacheStore.builder().clock(primary.clock());
          chosen = references ? memory.build() : memory.copyValues().build();
        } else if (references
            != chosen.capabilities().contains(StoreCapability.STORES_REFERENCES)) {
          throw new IllegalArgumentException(
              "fallback " + chosen.description() + " keeps values "
                  + (references ? "as bytes" : "by reference") + " but primary "
                  + primary.description() + " keeps them " + (references ? "by reference" : "as bytes")
                  + "; build a memory fallback " + (references ? "without" : "with")
                  + " MemoryCacheStore.Builder.copyValues()");
        }
      } else if (chosen != null) {
        throw new IllegalArgumentException(
            "a fallback store is only used in FALLBACK mode, not " + mode);
      }
      return new ResilientCacheStore(this, chosen);
    }
  }
}
