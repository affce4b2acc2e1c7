package dev.hoard.cache.resilience;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.internal.CircuitBreaker;
import dev.hoard.cache.resilience.internal.CircuitBreaker.Permit;
import dev.hoard.cache.resilience.internal.PendingInvalidations;
import dev.hoard.cache.spi.BlockingIo;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ConnectionListener;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.cache.spi.ValueWithExpiry;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import dev.hoard.codec.DecodingException;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
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
 *   <li>{@link FailureMode#FAIL_OPEN}: reads are misses, writes are dropped (counted in {@link
 *       StoreStatistics#droppedWrites()}, never in the cache's {@code puts}), {@code increment}
 *       returns {@code delta} as if the counter had just been created (so a rate limit fails open
 *       too), key listings are empty; each absorbed call counts in {@link
 *       StoreStatistics#errors()}.
 *   <li>{@link FailureMode#FALLBACK}: a failed call and every call while the breaker is open go to
 *       the fallback store. The fallback is emptied when the breaker opens and when it closes, so it
 *       only ever serves what was written during the current outage; writes made there are not
 *       copied back to the primary.
 * </ul>
 *
 * <p><b>Invalidations are never lost silently.</b> In fail-open and fallback modes a {@code
 * delete}, {@code deleteAll} (which is how tags are invalidated), {@code deleteMatching} or {@code
 * clear} the primary could not apply is queued, and the queue is replayed, in order, before any
 * other call reaches the primary again: an entry deleted during an outage is never read after it.
 * The queue holds {@link Builder#invalidationReplay 10,000 keys} unless told otherwise; beyond that
 * the overflow is logged once, counted in {@link StoreStatistics#replayOverflows()}, and handled
 * by a {@link ReplayOverflowPolicy} ({@link ReplayOverflowPolicy#CLEAR clear the store} on
 * recovery unless told otherwise). Calls that arrive while the queue is being replayed wait for
 * it ({@link Builder#replayWait up to 2 s} unless told otherwise) and then go to the primary, in
 * order after it: a write made once the store answers again is applied, never dropped, and is
 * never undone by a delete or clear queued before it. Only a call that waited its whole bound is
 * answered as during the outage.
 *
 * <p><b>When the breaker opens and closes.</b> It opens on the thresholds of its {@link
 * CircuitBreakerSettings}, and at once when a call times out while other calls are in flight (a
 * frozen server: each waiting thread pays one timeout, no thread starts another). While it is
 * open, one trial per cool-down runs in the background (reading one key), never on an
 * application thread; its success closes the breaker and starts the replay on that background
 * thread. A trial that timed out (a frozen server) is followed by the next one at once, so one is
 * always waiting when the server resumes and the breaker closes as soon as it answers. A store
 * that reports its connection is back ({@link CacheStore#addConnectionListener}, as Redis does)
 * closes it at once, without waiting for the cool-down, and starts the replay in the background.
 *
 * <p><b>Failure domains.</b> A store whose parts fail independently ({@link
 * StoreCapability#FAILURE_DOMAINS}, a Redis Cluster) gets one breaker and one replay queue per
 * part: keys served by healthy masters keep working while one master is down. Calls that span
 * every part ({@code keys}, {@code deleteMatching}, {@code clear}) have a breaker of their own,
 * and a {@code clear} or {@code deleteMatching} waiting for replay holds back every key until it
 * was applied.
 *
 * <p>Exceptions that report a bad call rather than a failing store ({@link
 * IllegalArgumentException}, {@link IllegalStateException} such as incrementing a non-counter,
 * {@link UnsupportedOperationException}, {@link NullPointerException}, {@link ArithmeticException},
 * {@link ClassCastException}, and {@link DecodingException} for a value that cannot be read) pass
 * through untouched in every mode and count as answers.
 *
 * <p>Each breaker logs one WARN when it opens and one INFO when it closes, never a line per call.
 */
public final class ResilientCacheStore implements CacheStore {

  /** Keys the replay queue holds unless told otherwise. */
  public static final int DEFAULT_REPLAY_CAPACITY = 10_000;

  /**
   * How long a call waits for a replay another thread runs, unless told otherwise: Redis's default
   * command timeout, the longest a call waits on a healthy store anyway.
   */
  public static final Duration DEFAULT_REPLAY_WAIT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(ResilientCacheStore.class);

  /** Read by a trial call that has no key of its own (its outage began on a keyless call). */
  private static final String TRIAL_KEY = "hoard-breaker-trial";

  private final CacheStore primary;
  private final CacheStore fallback;
  private final FailureMode mode;
  private final CircuitBreakerSettings settings;
  private final Clock clock;
  private final Executor trials;
  private final int replayCapacity;
  private final ReplayOverflowPolicy overflowPolicy;
  private final long replayWaitNanos;
  private final boolean perKeyDomains;
  private final Domain wholeStore;
  private final ConcurrentMap<String, Domain> domains = new ConcurrentHashMap<>();
  private final LongAdder absorbed = new LongAdder();
  private final LongAdder droppedWrites = new LongAdder();
  private final LongAdder replayOverflows = new LongAdder();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private volatile StoreStatistics lastStatistics = StoreStatistics.NONE;

  private ResilientCacheStore(Builder builder, CacheStore fallback) {
    this.primary = builder.primary;
    this.fallback = fallback;
    this.mode = builder.mode;
    this.settings = builder.settings;
    this.clock = builder.clock != null ? builder.clock : primary.clock();
    this.trials = builder.trials != null ? builder.trials : BackgroundTrials.POOL;
    this.replayCapacity = builder.replayCapacity;
    this.overflowPolicy = builder.overflowPolicy;
    this.replayWaitNanos = builder.replayWait.toNanos();
    this.perKeyDomains = primary.capabilities().contains(StoreCapability.FAILURE_DOMAINS);
    this.wholeStore = new Domain(WHOLE_STORE);
    domains.put(WHOLE_STORE, wholeStore);
    primary.addConnectionListener(this::reconnected);
  }

  /** Starts wrapping {@code primary}; fail-open with {@link CircuitBreakerSettings#defaults()}. */
  public static Builder builder(CacheStore primary) {
    return new Builder(primary);
  }

  /** What this store does when the primary fails. */
  public FailureMode mode() {
    return mode;
  }

  /**
   * Where the circuit breaker stands: {@link CircuitState#CLOSED} when every failure domain's
   * breaker is closed, {@link CircuitState#OPEN} when any is open, else half-open.
   */
  public CircuitState circuitState() {
    CircuitState worst = CircuitState.CLOSED;
    for (Domain domain : domains.values()) {
      CircuitState state = domain.breaker.state();
      if (state == CircuitState.OPEN) {
        return state;
      }
      if (state == CircuitState.HALF_OPEN) {
        worst = state;
      }
    }
    return worst;
  }

  /** Where the breaker of the failure domain serving {@code key} stands. */
  public CircuitState circuitState(String key) {
    return domain(key).breaker.state();
  }

  /** Invalidations (keys and clears) waiting to be replayed on the primary. */
  public int pendingInvalidations() {
    int pending = 0;
    for (Domain domain : domains.values()) {
      pending += domain.pending.size();
    }
    return pending;
  }

  /** The wrapped store. */
  public CacheStore primary() {
    return primary;
  }

  /** The threads that run trial calls when none is given: daemons, idle ones end after a minute. */
  private static final class BackgroundTrials {
    static final Executor POOL = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "hoard-breaker-trial");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A part of the primary that fails on its own: its breaker and its replay queue. */
  private final class Domain implements CircuitBreaker.Transitions {
    final String name;
    final CircuitBreaker breaker;
    final PendingInvalidations pending;

    Domain(String name) {
      this.name = name;
      this.breaker = new CircuitBreaker(settings, clock, this, true);
      this.pending = new PendingInvalidations(replayCapacity, overflowPolicy);
    }

    private String where() {
      return name.equals(WHOLE_STORE) ? primary.description()
          : primary.description() + " [" + name + "]";
    }

    @Override
    public void opened(String reason, Throwable lastFailure) {
      clearFallback();
      log.warn("cache store {} is failing ({}); circuit breaker open: {}, trial call every {}."
              + " Last failure: {}", where(), reason, consequence(), settings.coolDown(),
          String.valueOf(lastFailure));
    }

    @Override
    public void trialFailed(Throwable failure) {
      log.debug("cache store {} still failing: {}", where(), String.valueOf(failure));
    }

    @Override
    public void closed(String why) {
      clearFallback();
      overflowLogged.set(false);
      log.info("cache store {} answers again ({}); circuit breaker closed", where(), why);
    }
  }

  private String consequence() {
    return switch (mode) {
      case STRICT -> "calls fail fast with CacheException";
      case FAIL_OPEN -> "reads are misses, writes are dropped, invalidations wait for replay";
      case FALLBACK -> "calls go to " + fallback.description()
          + ", invalidations wait for replay";
    };
  }

  private void clearFallback() {
    if (fallback != null) {
      fallback.clear();
    }
  }

  private void reconnected(String domainName) {
    if (domainName.equals(WHOLE_STORE)) {
      domains.values().forEach(this::reconnected);
      return;
    }
    Domain domain = domains.get(domainName);
    if (domain != null) {
      reconnected(domain);
    }
    reconnected(wholeStore);
  }

  private void reconnected(Domain domain) {
    domain.breaker.reconnected();
    startReplay(domain);
  }

  /**
   * Replays what waits for {@code domain} on a background thread, now that the primary answers:
   * the calls that arrive meanwhile wait for it rather than for the first of them to start it.
   */
  private void startReplay(Domain domain) {
    if (wholeStore.pending.isEmpty() && domain.pending.isEmpty()) {
      return;
    }
    try {
      trials.execute(() -> {
        try {
          replay(domain, System.nanoTime(), () -> true);
        } catch (RuntimeException e) {
          // The calls waiting for it replay themselves; the breaker learns from their failures.
          log.debug("replaying invalidations on {} failed: {}", domain.where(), String.valueOf(e));
        }
      });
    } catch (RuntimeException e) {
      // No thread for it: the next call replays.
    }
  }

  private Domain domain(String key) {
    if (!perKeyDomains) {
      return wholeStore;
    }
    String name = primary.failureDomain(key);
    Domain domain = domains.get(name);
    return domain != null ? domain : domains.computeIfAbsent(name, Domain::new);
  }

  /** The keys grouped by the failure domain serving them, in their order. */
  private Map<Domain, List<String>> byDomain(Collection<String> keys) {
    if (!perKeyDomains) {
      return Map.of(wholeStore, keys instanceof List<String> list ? list : new ArrayList<>(keys));
    }
    Map<Domain, List<String>> groups = new LinkedHashMap<>();
    for (String key : keys) {
      groups.computeIfAbsent(domain(key), domain -> new ArrayList<>()).add(key);
    }
    return groups;
  }

  // ---- the one path every call takes

  /** One store operation, applied to the primary or to the fallback. */
  @FunctionalInterface
  private interface Call<T> {
    T on(CacheStore store);
  }

  /** What to remember of a write or an invalidation the primary did not apply. */
  @FunctionalInterface
  private interface NotApplied {
    void record(Domain domain);
  }

  /** A write of {@code entries} entries, counted as dropped when fail-open drops it. */
  private NotApplied write(int entries) {
    return domain -> {
      if (mode == FailureMode.FAIL_OPEN) {
        droppedWrites.add(entries);
      }
    };
  }

  /** The deletion of {@code keys}, queued for replay. */
  private NotApplied deletion(List<String> keys) {
    return domain -> counted(domain.pending.addKeys(keys), keys.size());
  }

  private void counted(PendingInvalidations.Outcome outcome, int invalidations) {
    if (outcome == PendingInvalidations.Outcome.QUEUED) {
      return;
    }
    replayOverflows.add(invalidations);
    if (overflowLogged.compareAndSet(false, true)) {
      log.warn("cache store {}: more than {} keys were invalidated while it failed; {}",
          primary.description(), replayCapacity,
          outcome == PendingInvalidations.Outcome.OVERFLOWED_TO_CLEAR
              ? "it will be cleared when it answers again (replayOverflow=clear)"
              : "further invalidations are dropped and their entries may be read again until they"
                  + " expire (replayOverflow=drop)");
    }
  }

  private <T> T call(String operation, String key, Call<T> call, T failOpenResult) {
    return call(operation, key, domain(key), call, failOpenResult, null);
  }

  private <T> T call(
      String operation, String key, Domain domain, Call<T> call, T failOpenResult,
      NotApplied notApplied) {
    CircuitBreaker breaker = domain.breaker;
    Permit permit = breaker.acquire();
    if (permit == Permit.TRIAL) {
      startTrial(domain, key);
      // A trial run on the caller's thread (an inline executor) may have closed the breaker.
      permit = breaker.acquire();
    }
    if (permit == Permit.REJECTED) {
      return degraded(operation, domain, call, failOpenResult, notApplied, null);
    }
    if (!wholeStore.pending.isEmpty() || !domain.pending.isEmpty()) {
      try {
        if (!replay(domain, System.nanoTime() + replayWaitNanos,
            () -> breaker.state() == CircuitState.CLOSED)) {
          breaker.abandoned(permit);
          return degraded(operation, domain, call, failOpenResult, notApplied, null);
        }
      } catch (RuntimeException e) {
        breaker.failed(permit, e, CircuitBreaker.isTimeout(e));
        return degraded(operation, domain, call, failOpenResult, notApplied, e);
      }
    }
    T result;
    try {
      result = call.on(primary);
    } catch (RuntimeException e) {
      if (isCallerError(e)) {
        breaker.succeeded(permit);
        throw e;
      }
      breaker.failed(permit, e, CircuitBreaker.isTimeout(e));
      return degraded(operation, domain, call, failOpenResult, notApplied, e);
    } catch (Error e) {
      breaker.failed(permit, e, false);
      throw e;
    }
    breaker.succeeded(permit);
    return result;
  }

  /** One store operation in its non-blocking form. */
  @FunctionalInterface
  private interface AsyncCall<T> {
    CompletionStage<T> on(CacheStore store);
  }

  /**
   * {@link #call} without blocking: the same breaker, replay and failure rules, with the primary's
   * non-blocking call. While invalidations wait for replay (only after an outage) the whole call
   * runs synchronously on {@link BlockingIo}, since replaying is a sequence of blocking calls.
   */
  private <T> CompletionStage<T> callAsync(
      String operation, String key, Domain domain, AsyncCall<T> call, Call<T> syncCall,
      T failOpenResult, NotApplied notApplied) {
    if (!wholeStore.pending.isEmpty() || !domain.pending.isEmpty()) {
      return BlockingIo.call(primary,
          () -> call(operation, key, domain, syncCall, failOpenResult, notApplied));
    }
    CircuitBreaker breaker = domain.breaker;
    Permit acquired = breaker.acquire();
    if (acquired == Permit.TRIAL) {
      startTrial(domain, key);
      acquired = breaker.acquire();
    }
    if (acquired == Permit.REJECTED) {
      return degradedAsync(operation, domain, call, failOpenResult, notApplied, null);
    }
    Permit permit = acquired;
    CompletionStage<T> sent;
    try {
      sent = call.on(primary);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    sent.whenComplete((value, thrown) -> {
      if (thrown == null) {
        breaker.succeeded(permit);
        result.complete(value);
        return;
      }
      Throwable failure = thrown instanceof CompletionException && thrown.getCause() != null
          ? thrown.getCause() : thrown;
      if (!(failure instanceof RuntimeException e)) {
        breaker.failed(permit, failure, false);
        result.completeExceptionally(failure);
        return;
      }
      if (isCallerError(e)) {
        breaker.succeeded(permit);
        result.completeExceptionally(e);
        return;
      }
      breaker.failed(permit, e, CircuitBreaker.isTimeout(e));
      degradedAsync(operation, domain, call, failOpenResult, notApplied, e)
          .whenComplete((degraded, alsoFailed) -> {
            if (alsoFailed == null) {
              result.complete(degraded);
            } else {
              result.completeExceptionally(alsoFailed);
            }
          });
    });
    return result;
  }

  private <T> CompletionStage<T> degradedAsync(
      String operation, Domain domain, AsyncCall<T> call, T failOpenResult, NotApplied notApplied,
      RuntimeException cause) {
    switch (mode) {
      case STRICT:
        return CompletableFuture.failedFuture(failure(operation, domain, cause));
      case FAIL_OPEN:
        absorbed.increment();
        if (notApplied != null) {
          notApplied.record(domain);
        }
        return CompletableFuture.completedFuture(failOpenResult);
      default:
        if (cause != null) {
          absorbed.increment();
        }
        if (notApplied != null) {
          notApplied.record(domain);
        }
        return call.on(fallback);
    }
  }

  /**
   * Applies what waits for replay: the store-wide queue, then the domain's own; waits for a
   * replay another thread runs until {@code deadline}.
   *
   * @return false when another thread was still replaying at the deadline, or {@code proceed}
   *     said no after waiting
   */
  private boolean replay(Domain domain, long deadline, BooleanSupplier proceed) {
    return wholeStore.pending.replay(primary, deadline, proceed)
        && (domain == wholeStore || domain.pending.replay(primary, deadline, proceed));
  }

  /** Runs the trial call in the background: no application thread waits on a failing store. */
  private void startTrial(Domain domain, String key) {
    try {
      trials.execute(() -> trial(domain, key));
    } catch (RuntimeException e) {
      domain.breaker.failed(Permit.TRIAL, e, false);
    }
  }

  /**
   * Reads one key; when the primary answers, closes the breaker and replays right away. Calls let
   * through by the closed breaker find the queue not yet empty and wait for the replay, so none
   * reaches the primary before it.
   */
  private void trial(Domain domain, String key) {
    try {
      primary.expiresAt(key != null ? key : TRIAL_KEY);
    } catch (RuntimeException e) {
      if (!isCallerError(e)) {
        domain.breaker.failed(Permit.TRIAL, e, CircuitBreaker.isTimeout(e));
        return;
      }
    } catch (Error e) {
      domain.breaker.failed(Permit.TRIAL, e, false);
      throw e;
    }
    domain.breaker.succeeded(Permit.TRIAL);
    try {
      replay(domain, System.nanoTime(), () -> true);
    } catch (RuntimeException e) {
      domain.breaker.failed(e);
    }
  }

  private <T> T degraded(
      String operation, Domain domain, Call<T> call, T failOpenResult, NotApplied notApplied,
      RuntimeException cause) {
    switch (mode) {
      case STRICT:
        throw failure(operation, domain, cause);
      case FAIL_OPEN:
        absorbed.increment();
        if (notApplied != null) {
          notApplied.record(domain);
        }
        return failOpenResult;
      default:
        if (cause != null) {
          absorbed.increment();
        }
        if (notApplied != null) {
          notApplied.record(domain);
        }
        return call.on(fallback);
    }
  }

  private CacheException failure(String operation, Domain domain, RuntimeException cause) {
    if (cause == null) {
      return new CacheException(
          "cache store " + domain.where() + " is failing; circuit breaker open, " + operation
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
  public String failureDomain(String key) {
    return primary.failureDomain(key);
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    primary.addConnectionListener(listener);
  }

  @Override
  public Object get(String key) {
    return call("get", key, store -> store.get(key), null);
  }

  @Override
  public CompletionStage<Object> getAsync(String key) {
    return callAsync("get", key, domain(key), store -> store.getAsync(key),
        store -> store.get(key), null, null);
  }

  @Override
  public CompletionStage<Void> putAsync(String key, Object value, long expiresAt) {
    return callAsync("put", key, domain(key), store -> store.putAsync(key, value, expiresAt),
        store -> {
          store.put(key, value, expiresAt);
          return null;
        }, null, write(1));
  }

  @Override
  public CompletionStage<Boolean> putIfAbsentAsync(String key, Object value, long expiresAt) {
    return callAsync("putIfAbsent", key, domain(key),
        store -> store.putIfAbsentAsync(key, value, expiresAt),
        store -> store.putIfAbsent(key, value, expiresAt), false, null);
  }

  @Override
  public CompletionStage<Boolean> deleteAsync(String key) {
    return callAsync("delete", key, domain(key), store -> store.deleteAsync(key),
        store -> store.delete(key), false, deletion(List.of(key)));
  }

  @Override
  public CompletionStage<Long> incrementAsync(String key, long delta, long expiresAtIfCreated) {
    return callAsync("increment", key, domain(key),
        store -> store.incrementAsync(key, delta, expiresAtIfCreated),
        store -> store.increment(key, delta, expiresAtIfCreated), delta, null);
  }

  @Override
  public CompletionStage<Boolean> touchAsync(String key, long expiresAt) {
    return callAsync("touch", key, domain(key), store -> store.touchAsync(key, expiresAt),
        store -> store.touch(key, expiresAt), false, null);
  }

  @Override
  public CompletionStage<Long> expiresAtAsync(String key) {
    return callAsync("expiresAt", key, domain(key), store -> store.expiresAtAsync(key),
        store -> store.expiresAt(key), ABSENT, null);
  }

  /** One domain's keys in one call; several domains' calls in flight together. */
  @Override
  public CompletionStage<Map<String, Object>> getAllAsync(Collection<String> keys) {
    Map<Domain, List<String>> groups = byDomain(keys);
    List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>(groups.size());
    groups.forEach((domain, group) -> parts.add(callAsync("getAll", null, domain,
        store -> store.getAllAsync(group), store -> store.getAll(group), Map.<String, Object>of(),
        null).toCompletableFuture()));
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, Object> found = new HashMap<>();
      parts.forEach(part -> found.putAll(part.join()));
      return found;
    });
  }

  @Override
  public CompletionStage<Void> putAllAsync(Map<String, ?> entries, long expiresAt) {
    Map<Domain, List<String>> groups = byDomain(entries.keySet());
    List<CompletableFuture<Void>> parts = new ArrayList<>(groups.size());
    groups.forEach((domain, group) -> {
      Map<String, ?> part = groups.size() == 1 ? entries : subMap(entries, group);
      parts.add(callAsync("putAll", null, domain, store -> store.putAllAsync(part, expiresAt),
          store -> {
            store.putAll(part, expiresAt);
            return null;
          }, null, write(part.size())).toCompletableFuture());
    });
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletionStage<Long> deleteAllAsync(Collection<String> keys) {
    List<CompletableFuture<Long>> parts = new ArrayList<>();
    for (Map.Entry<Domain, List<String>> group : byDomain(keys).entrySet()) {
      List<String> part = group.getValue();
      parts.add(callAsync("deleteAll", null, group.getKey(), store -> store.deleteAllAsync(part),
          store -> store.deleteAll(part), 0L, deletion(part)).toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(done -> parts.stream().mapToLong(CompletableFuture::join).sum());
  }

  @Override
  public Object getDecoded(String key, Type type, ValueDecoder decoder) {
    return call("get", key, store -> store.getDecoded(key, type, decoder), null);
  }

  @Override
  public ValueWithExpiry getWithExpiry(String key) {
    return call("get", key, store -> store.getWithExpiry(key), null);
  }

  @Override
  public Map<String, ValueWithExpiry> getAllWithExpiry(Collection<String> keys) {
    Map<Domain, List<String>> groups = byDomain(keys);
    if (groups.size() == 1) {
      Map.Entry<Domain, List<String>> only = groups.entrySet().iterator().next();
      return call("getAll", null, only.getKey(), store -> store.getAllWithExpiry(keys), Map.of(),
          null);
    }
    Map<String, ValueWithExpiry> found = new HashMap<>();
    groups.forEach((domain, group) -> found.putAll(call("getAll", null, domain,
        store -> store.getAllWithExpiry(group), Map.of(), null)));
    return found;
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    call("put", key, domain(key), store -> {
      store.put(key, value, expiresAt);
      return null;
    }, null, write(1));
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    return call("putIfAbsent", key, store -> store.putIfAbsent(key, value, expiresAt), false);
  }

  @Override
  public boolean delete(String key) {
    return call("delete", key, domain(key), store -> store.delete(key), false,
        deletion(List.of(key)));
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    return call("increment", key, store -> store.increment(key, delta, expiresAtIfCreated), delta);
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    return call("touch", key, store -> store.touch(key, expiresAt), false);
  }

  /**
   * Fail-open counts a failing store as a lock taken, so that the caller loads by itself (as it
   * would with no lock at all) instead of waiting for a holder that is not there.
   */
  @Override
  public boolean tryLock(String key, byte[] token, long expiresAt) {
    return call("tryLock", key, store -> store.tryLock(key, token, expiresAt), true);
  }

  @Override
  public boolean unlock(String key, byte[] token) {
    return call("unlock", key, store -> store.unlock(key, token), false);
  }

  /** Fail-open allows the step as if the key held no state, as {@link #increment} does. */
  @Override
  public GcraOutcome gcra(String key, GcraStep step) {
    return call("gcra", key, store -> store.gcra(key, step), step.applyTo(GcraStep.NO_STATE));
  }

  @Override
  public long expiresAt(String key) {
    return call("expiresAt", key, store -> store.expiresAt(key), ABSENT);
  }

  @Override
  public Stream<String> keys(Glob glob) {
    Objects.requireNonNull(glob, "glob");
    return call("keys", null, wholeStore, store -> store == primary
        ? guarded(store.keys(glob)) : store.keys(glob), Stream.empty(), null);
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
              wholeStore.breaker.failed(e);
              if (mode == FailureMode.STRICT) {
                throw failure("keys", wholeStore, e);
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
    call("clear", null, wholeStore, store -> {
      store.clear();
      return null;
    }, null, domain -> counted(domain.pending.addClear(), 1));
  }

  @Override
  public Map<String, Object> getAll(Collection<String> keys) {
    Map<Domain, List<String>> groups = byDomain(keys);
    if (groups.size() == 1) {
      Map.Entry<Domain, List<String>> only = groups.entrySet().iterator().next();
      return call("getAll", null, only.getKey(), store -> store.getAll(keys), Map.of(), null);
    }
    Map<String, Object> found = new HashMap<>();
    groups.forEach((domain, group) -> found.putAll(
        call("getAll", null, domain, store -> store.getAll(group), Map.of(), null)));
    return found;
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    Map<Domain, List<String>> groups = byDomain(entries.keySet());
    groups.forEach((domain, group) -> {
      Map<String, ?> part = groups.size() == 1 ? entries : subMap(entries, group);
      call("putAll", null, domain, store -> {
        store.putAll(part, expiresAt);
        return null;
      }, null, write(part.size()));
    });
  }

  private static Map<String, Object> subMap(Map<String, ?> entries, List<String> keys) {
    Map<String, Object> part = new HashMap<>(keys.size() * 2);
    for (String key : keys) {
      part.put(key, entries.get(key));
    }
    return part;
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    long removed = 0;
    for (Map.Entry<Domain, List<String>> group : byDomain(keys).entrySet()) {
      List<String> part = group.getValue();
      removed += call("deleteAll", null, group.getKey(), store -> store.deleteAll(part), 0L,
          deletion(part));
    }
    return removed;
  }

  @Override
  public long deleteMatching(Glob glob) {
    return call("deleteMatching", null, wholeStore, store -> store.deleteMatching(glob), 0L,
        domain -> counted(domain.pending.addMatching(glob), 1));
  }

  /**
   * The primary's counters plus what this wrapper absorbed: failed calls as errors, dropped writes
   * and replay-queue overflows. While the breaker is open the primary is not asked; its last
   * answer is reused.
   */
  @Override
  public StoreStatistics statistics() {
    StoreStatistics store = lastStatistics;
    if (wholeStore.breaker.state() == CircuitState.CLOSED) {
      try {
        store = primary.statistics();
        lastStatistics = store;
      } catch (RuntimeException e) {
        // Statistics must never fail the caller; the breaker learns about failures from calls.
      }
    }
    return new StoreStatistics(
        store.evictions(), store.expirations(), store.errors() + absorbed.sum(), store.size(),
        store.droppedWrites() + droppedWrites.sum(),
        store.replayOverflows() + replayOverflows.sum());
  }

  /**
   * The primary's report while its breaker is closed; while it is open the primary is not asked
   * and this fails, so that the caller keeps the last report it had.
   */
  @Override
  public StoreReport report() {
    if (wholeStore.breaker.state() != CircuitState.CLOSED) {
      throw new CacheException(primary.description() + " is failing; not asking it for a report");
    }
    return primary.report();
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
    private Executor trials;
    private int replayCapacity = DEFAULT_REPLAY_CAPACITY;
    private ReplayOverflowPolicy overflowPolicy = ReplayOverflowPolicy.CLEAR;
    private Duration replayWait = DEFAULT_REPLAY_WAIT;

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
     * How many invalidated keys (a {@code clear} or {@code deleteMatching} counts one) the replay
     * queue holds per failure domain while the primary fails, and what happens beyond; {@value
     * #DEFAULT_REPLAY_CAPACITY} and {@link ReplayOverflowPolicy#CLEAR} unless set. A capacity of
     * 0 applies the policy to every invalidation. Strict mode queues nothing: the caller sees the
     * failure.
     */
    public Builder invalidationReplay(int capacity, ReplayOverflowPolicy onOverflow) {
      if (capacity < 0) {
        throw new IllegalArgumentException(
            "the replay queue capacity must not be negative, was " + capacity);
      }
      this.replayCapacity = capacity;
      this.overflowPolicy = Objects.requireNonNull(onOverflow, "onOverflow");
      return this;
    }

    /**
     * How long a call waits for invalidations another thread is replaying before it is answered
     * as during the outage (its write dropped in fail-open mode); {@link #DEFAULT_REPLAY_WAIT}
     * unless set. Set it to the primary's command timeout.
     */
    public Builder replayWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("the replay wait must not be negative, was " + wait);
      }
      this.replayWait = wait;
      return this;
    }

    /**
     * Where trial calls run while the breaker is open; a shared pool of daemon threads unless
     * set. An executor that runs the task on the calling thread makes the trial synchronous: the
     * call that started it goes to the store if the trial closed the breaker (tests use this with
     * a manual clock).
     */
    public Builder trialExecutor(Executor executor) {
      this.trials = Objects.requireNonNull(executor, "executor");
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
