package dev.hoard.ratelimit.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimitPolicy;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket as GCRA: one permit every {@code interval} (period / limit, rounded up to a
 * microsecond so the rate never exceeds the limit), up to {@code burst} at once. The store keeps
 * one timestamp per key and updates it atomically through {@link CacheStore#gcra}.
 */
public final class TokenBucketLimiter implements RateLimiter {

  private final CacheStore store;
  private final RateLimitPolicy policy;
  private final Clock clock;
  private final StoreKeys storeKeys;
  private final long intervalMicros;
  private final long toleranceMicros;

  /** A limiter over {@code store}; the builder has checked that it has GCRA, and the policy. */
  public TokenBucketLimiter(CacheStore store, RateLimitPolicy policy, Clock clock) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.storeKeys = new StoreKeys("ratelimit:" + policy.name() + ":");
    long periodMicros = policy.period().toNanos() / 1000;
    this.intervalMicros = -Math.floorDiv(-periodMicros, policy.limit());
    if (Math.multiplyHigh(intervalMicros, policy.burst()) != 0
        || intervalMicros * policy.burst() > Long.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "burst " + policy.burst() + " at one permit per " + intervalMicros + "µs is too large;"
              + " use a smaller burst");
    }
    this.toleranceMicros = intervalMicros * policy.burst();
  }

  @Override
  public RateLimitPolicy policy() {
    return policy;
  }

  @Override
  public RateLimitDecision tryAcquire(String key, long permits) {
    long burst = policy.burst();
    WindowLimiter.checkRequest(key, permits, burst);
    long now = micros(clock.instant());
    GcraOutcome outcome = store.gcra(
        storeKeys.of(key, ""), new GcraStep(now, intervalMicros, toleranceMicros, permits));
    long ahead = outcome.tatMicros() - now;
    long remaining = Math.max(0, Math.min(burst, (toleranceMicros - ahead) / intervalMicros));
    Duration resetAfter = ofMicros(ahead);
    if (outcome.allowed()) {
      return new RateLimitDecision(true, burst, remaining, resetAfter, Duration.ZERO);
    }
    long wait = ahead + permits * intervalMicros - toleranceMicros;
    return new RateLimitDecision(false, burst, remaining, resetAfter, ofMicros(wait));
  }

  private static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1000);
  }

  private static Duration ofMicros(long micros) {
    return Duration.ofNanos(Math.multiplyExact(Math.max(0, micros), 1000L));
  }

  @Override
  public String toString() {
    return "RateLimiter[" + policy + " on " + store.description() + "]";
  }
}
