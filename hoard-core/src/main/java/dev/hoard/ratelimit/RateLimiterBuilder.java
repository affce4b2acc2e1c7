package dev.hoard.ratelimit;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.ratelimit.internal.TokenBucketLimiter;
import dev.hoard.ratelimit.internal.WindowLimiter;
import dev.hoard.cache.spi.StoreCapability;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Configures a {@link RateLimiter}; obtain one from {@link RateLimiter#builder(CacheStore)}. */
public final class RateLimiterBuilder {

  private final CacheStore store;
  private String name = "default";
  private long limit;
  private Duration period;
  private RateLimitAlgorithm algorithm = RateLimitAlgorithm.SLIDING_WINDOW;
  private long burst;
  private Clock clock;

  RateLimiterBuilder(CacheStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Names the limiter; its counters live under {@code ratelimit:<name>:} in the store, so two
   * limiters with different names never share a count. {@code default} unless set.
   */
  public RateLimiterBuilder name(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a rate limiter's name must not be empty");
    }
    this.name = name;
    return this;
  }

  /** How many permits a key gets per {@linkplain #per period}. Required. */
  public RateLimiterBuilder limit(long permits) {
    if (permits <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + permits);
    }
    this.limit = permits;
    return this;
  }

  /** The period the {@linkplain #limit limit} applies to, at least a millisecond. Required. */
  public RateLimiterBuilder per(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.toNanos() < 1_000_000) {
      throw new IllegalArgumentException("period must be at least 1ms, was " + period);
    }
    this.period = period;
    return this;
  }

  /** How permits are counted; {@link RateLimitAlgorithm#SLIDING_WINDOW} unless set. */
  public RateLimiterBuilder algorithm(RateLimitAlgorithm algorithm) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    return this;
  }

  /**
   * For a {@link RateLimitAlgorithm#TOKEN_BUCKET}: how many permits a key may take at once after
   * being idle (the bucket size); the limit unless set. The bucket refills at limit / period.
   */
  public RateLimiterBuilder burst(long permits) {
    if (permits <= 0) {
      throw new IllegalArgumentException("burst must be positive, was " + permits);
    }
    this.burst = permits;
    return this;
  }

  /** The clock windows and refills are measured with; the store's clock unless set. */
  public RateLimiterBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Builds the limiter.
   *
   * @throws IllegalStateException if the limit or period is missing, or a burst is given for a
   *     window algorithm
   * @throws UnsupportedOperationException if a token bucket is asked of a store that cannot run
   *     one atomically
   */
  public RateLimiter build() {
    if (limit == 0 || period == null) {
      throw new IllegalStateException(
          "a rate limiter needs a limit and a period, e.g. .limit(100).per(Duration.ofMinutes(1))");
    }
    Clock effectiveClock = clock == null ? store.clock() : clock;
    if (algorithm != RateLimitAlgorithm.TOKEN_BUCKET) {
      if (burst != 0) {
        throw new IllegalStateException(
            "burst applies only to TOKEN_BUCKET, not to " + algorithm + "; drop it or change the"
                + " algorithm");
      }
      RateLimitPolicy policy = new RateLimitPolicy(name, limit, period, algorithm, limit);
      return new WindowLimiter(store, policy, effectiveClock);
    }
    if (!store.capabilities().contains(StoreCapability.GCRA)) {
      throw new UnsupportedOperationException(
          "the store " + store.description() + " cannot run a TOKEN_BUCKET atomically (it lacks"
              + " the GCRA capability; memory and Redis stores have it); use FIXED_WINDOW or"
              + " SLIDING_WINDOW, which work on every store");
    }
    RateLimitPolicy policy = new RateLimitPolicy(
        name, limit, period, algorithm, burst == 0 ? limit : burst);
    return new TokenBucketLimiter(store, policy, effectiveClock);
  }
}
