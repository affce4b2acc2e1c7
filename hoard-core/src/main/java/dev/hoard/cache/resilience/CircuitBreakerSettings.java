package dev.hoard.cache.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * When a store's circuit breaker opens and how long it stays open. Immutable; start from {@link
 * #defaults()} and change what you need.
 *
 * <p>The breaker opens after {@link #consecutiveFailures()} failures in a row, or when at least
 * {@link #failureRate()} of the calls counted in the current window failed (once the window holds
 * {@link #minimumCalls()} calls). The window restarts at the first failure after it has counted
 * {@link #windowSize()} calls, so old successes do not hide a new outage for long. After {@link
 * #coolDown()} one trial call goes to the store: success closes the breaker, failure keeps it open
 * for another cool-down.
 */
public final class CircuitBreakerSettings {

  private static final CircuitBreakerSettings DEFAULTS =
      new CircuitBreakerSettings(5, 0.5, 20, 100, Duration.ofSeconds(1));

  private final int consecutiveFailures;
  private final double failureRate;
  private final int minimumCalls;
  private final int windowSize;
  private final Duration coolDown;

  private CircuitBreakerSettings(
      int consecutiveFailures, double failureRate, int minimumCalls, int windowSize,
      Duration coolDown) {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "consecutiveFailures must be at least 1, was " + consecutiveFailures);
    }
    if (!(failureRate > 0 && failureRate <= 1)) {
      throw new IllegalArgumentException(
          "failureRate must be above 0 and at most 1 (e.g. 0.5 for half), was " + failureRate);
    }
    if (minimumCalls < 1) {
      throw new IllegalArgumentException("minimumCalls must be at least 1, was " + minimumCalls);
    }
    if (windowSize < minimumCalls) {
      throw new IllegalArgumentException(
          "windowSize (" + windowSize + ") must be at least minimumCalls (" + minimumCalls + ")");
    }
    Objects.requireNonNull(coolDown, "coolDown");
    if (coolDown.isNegative()) {
      throw new IllegalArgumentException("coolDown must not be negative, was " + coolDown);
    }
    this.consecutiveFailures = consecutiveFailures;
    this.failureRate = failureRate;
    this.minimumCalls = minimumCalls;
    this.windowSize = windowSize;
    this.coolDown = coolDown;
  }

  /**
   * Opens after 5 failures in a row or half of at least 20 calls in a window of 100; one trial
   * call per second while open. A trial costs one call, so probing often is cheap and a store
   * that comes back is used again within about a second.
   */
  public static CircuitBreakerSettings defaults() {
    return DEFAULTS;
  }

  /** Failures in a row that open the breaker. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The share of failed calls in the window (0 to 1) that opens the breaker. */
  public double failureRate() {
    return failureRate;
  }

  /** Calls the window must hold before the failure rate counts. */
  public int minimumCalls() {
    return minimumCalls;
  }

  /** Calls after which the window restarts. */
  public int windowSize() {
    return windowSize;
  }

  /** How long the breaker stays open before a trial call. */
  public Duration coolDown() {
    return coolDown;
  }

  /** These settings, opening after {@code failures} failures in a row. */
  public CircuitBreakerSettings consecutiveFailures(int failures) {
    return new CircuitBreakerSettings(failures, failureRate, minimumCalls, windowSize, coolDown);
  }

  /**
   * These settings, opening when {@code rate} of the calls in a window of {@code windowSize}
   * failed, once it holds {@code minimumCalls}.
   */
  public CircuitBreakerSettings failureRate(double rate, int minimumCalls, int windowSize) {
    return new CircuitBreakerSettings(consecutiveFailures, rate, minimumCalls, windowSize, coolDown);
  }

  /** These settings with another cool-down. */
  public CircuitBreakerSettings coolDown(Duration coolDown) {
    return new CircuitBreakerSettings(
        consecutiveFailures, failureRate, minimumCalls, windowSize, coolDown);
  }

  @Override
  public String toString() {
    return "CircuitBreakerSettings[" + consecutiveFailures + " failures in a row or "
        + Math.round(failureRate * 100) + "% of " + minimumCalls + ".." + windowSize
        + " calls; cool-down " + coolDown + "]";
  }
}
