package dev.hoard.cache.resilience.internal;

import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.CircuitState;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small circuit breaker: closed → open after too many failures, open → half-open after a
 * cool-down on an injected clock, one trial call, closed again on its success or as soon as the
 * store reports it is connected again ({@link #reconnected}).
 *
 * <p>A frozen server does not fail calls, it keeps them waiting: every thread in a call waits its
 * full timeout. So a timeout that ends while other calls are still in flight opens the breaker at
 * once: those calls were sent to the same frozen server and will time out too, and no thread
 * starts another one.
 *
 * <p>The closed path, taken by nearly every call, is a volatile read plus contention-free
 * counters, so wrapping even the in-memory store costs little. State changes take a lock and
 * tell the {@link Transitions} listener while holding it, so it sees them in order.
 */
public final class CircuitBreaker {

  /** What a caller may do; hand it back to {@link #succeeded} or {@link #failed}. */
  public enum Permit {
    /** The breaker is closed: call the store. */
    CALL,
    /** The one trial call after a cool-down: call the store, its outcome decides. */
    TRIAL,
    /** The breaker is open: do not call the store. */
    REJECTED
  }

  /** Told about state changes, in order, while the breaker holds its lock. */
  public interface Transitions {
    /** Closed → open; {@code reason} says which threshold was crossed. */
    void opened(String reason, Throwable lastFailure);

    /** A trial call failed: half-open → open for another cool-down. */
    void trialFailed(Throwable failure);

    /** A trial call succeeded, or the store reconnected: open or half-open → closed. */
    void closed(String why);
  }

  private final CircuitBreakerSettings settings;
  private final Clock clock;
  private final Transitions transitions;
  private final boolean trialsInBackground;
  private final AtomicInteger streak = new AtomicInteger();
  private final LongAdder windowCalls = new LongAdder();
  private final LongAdder windowFailures = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private volatile CircuitState state = CircuitState.CLOSED;
  private long openedAt;

  /** A closed breaker measuring its cool-down on {@code clock}; trials run on callers' threads. */
  public CircuitBreaker(CircuitBreakerSettings settings, Clock clock, Transitions transitions) {
    this(settings, clock, transitions, false);
  }

  /**
   * A closed breaker measuring its cool-down on {@code clock}. With {@code trialsInBackground}
   * (no application thread ever waits on a trial) a trial that timed out is followed by the next
   * one at once, without a cool-down: it has already waited on a frozen server for its whole
   * timeout, and with one always waiting the breaker closes as soon as the server resumes. Trials
   * on callers' threads keep the cool-down, so a freeze costs one request one timeout per window.
   */
  public CircuitBreaker(
      CircuitBreakerSettings settings, Clock clock, Transitions transitions,
      boolean trialsInBackground) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transitions = Objects.requireNonNull(transitions, "transitions");
    this.trialsInBackground = trialsInBackground;
  }

  /** The current state. */
  public CircuitState state() {
    return state;
  }

  /** Whether a call may go to the store now; at most one caller gets the trial. */
  public Permit acquire() {
    if (state == CircuitState.CLOSED) {
      inFlight.increment();
      return Permit.CALL;
    }
    synchronized (this) {
      if (state == CircuitState.CLOSED) {
        inFlight.increment();
        return Permit.CALL;
      }
      if (state == CircuitState.OPEN && coolDownOver()) {
        state = CircuitState.HALF_OPEN;
        return Permit.TRIAL;
      }
      return Permit.REJECTED;
    }
  }

  private boolean coolDownOver() {
    long now = clock.millis();
    // A clock set backwards must not keep the breaker open until it catches up.
    return now < openedAt || now - openedAt >= settings.coolDown().toMillis();
  }

  /** The store answered (possibly with an error about the caller's input). */
  public void succeeded(Permit permit) {
    if (permit == Permit.TRIAL) {
      synchronized (this) {
        if (state == CircuitState.HALF_OPEN) {
          close("a trial call succeeded");
        }
      }
      return;
    }
    inFlight.decrement();
    if (streak.get() != 0) {
      streak.set(0);
    }
    windowCalls.increment();
  }

  /** A {@link Permit#CALL} given back unused: the caller answered without calling the store. */
  public void abandoned(Permit permit) {
    if (permit == Permit.CALL) {
      inFlight.decrement();
    }
  }

  /**
   * The store failed to answer; {@code timedOut} when it did not answer in time (the call may
   * have been applied).
   */
  public void failed(Permit permit, Throwable failure, boolean timedOut) {
    if (permit == Permit.TRIAL) {
      synchronized (this) {
        if (state == CircuitState.HALF_OPEN) {
          state = CircuitState.OPEN;
          openedAt = timedOut && trialsInBackground
              ? clock.millis() - settings.coolDown().toMillis()
              : clock.millis();
          transitions.trialFailed(failure);
        }
      }
      return;
    }
    inFlight.decrement();
    counted(failure, timedOut && inFlight.sum() > 0);
  }

  /** A failure found outside a call the breaker permitted, such as part-way through a scan. */
  public void failed(Throwable failure) {
    counted(failure, false);
  }

  private void counted(Throwable failure, boolean timedOutAmongOthers) {
    windowCalls.increment();
    windowFailures.increment();
    int failuresInARow = streak.incrementAndGet();
    if (state != CircuitState.CLOSED) {
      return; // a call that started before the breaker opened; it changes nothing now
    }
    synchronized (this) {
      if (state != CircuitState.CLOSED) {
        return;
      }
      String reason = timedOutAmongOthers
          ? "a call timed out while others were waiting on the same server"
          : tripReason(failuresInARow);
      if (reason != null) {
        state = CircuitState.OPEN;
        openedAt = clock.millis();
        transitions.opened(reason, failure);
      }
    }
  }

  /**
   * The store reports its connection is back: an open or half-open breaker closes now rather
   * than after its cool-down, so no write is dropped once the server answers again.
   */
  public void reconnected() {
    if (state == CircuitState.CLOSED) {
      return;
    }
    synchronized (this) {
      if (state != CircuitState.CLOSED) {
        close("the store reconnected");
      }
    }
  }

  private void close(String why) {
    state = CircuitState.CLOSED;
    streak.set(0);
    windowCalls.reset();
    windowFailures.reset();
    transitions.closed(why);
  }

  private String tripReason(int failuresInARow) {
    if (failuresInARow >= settings.consecutiveFailures()) {
      return failuresInARow + " failures in a row";
    }
    long calls = windowCalls.sum();
    long failures = windowFailures.sum();
    if (calls >= settings.minimumCalls() && failures >= settings.failureRate() * calls) {
      return failures + " of the last " + calls + " calls failed";
    }
    if (calls >= settings.windowSize()) {
      // Start a fresh window holding just this failure.
      windowCalls.reset();
      windowFailures.reset();
      windowCalls.increment();
      windowFailures.increment();
    }
    return null;
  }

  /**
   * Whether the store did not answer in time rather than refused. Drivers each have their own
   * timeout exception (Lettuce's {@code RedisCommandTimeoutException}, {@code
   * SocketTimeoutException}, {@code SQLTimeoutException}) with no common type, so the causes are
   * matched by name.
   */
  public static boolean isTimeout(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException
          || cause.getClass().getSimpleName().endsWith("TimeoutException")) {
        return true;
      }
      if (cause.getCause() == cause) {
        return false;
      }
    }
    return false;
  }
}
