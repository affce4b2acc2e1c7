package dev.hoard.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer of {@link RateLimiter#tryAcquire}: whether the request may go ahead, and what to tell
 * the client (the values behind {@code RateLimit-*} and {@code Retry-After} headers).
 *
 * @param allowed whether the permits were granted
 * @param limit the limit of the policy (the burst for a token bucket)
 * @param remaining permits the key could still take right now, after this request
 * @param resetAfter how long until the key's full limit is available again
 * @param retryAfter how long until this request would be allowed if retried alone; zero when
 *     allowed
 */
public record RateLimitDecision(
    boolean allowed, long limit, long remaining, Duration resetAfter, Duration retryAfter) {

  /** Checks the parts. */
  public RateLimitDecision {
    Objects.requireNonNull(resetAfter, "resetAfter");
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (limit <= 0 || remaining < 0 || remaining > limit) {
      throw new IllegalArgumentException(
          "remaining must be between 0 and limit " + limit + ", was " + remaining);
    }
  }

  /** {@link #resetAfter} in whole seconds, rounded up, as HTTP headers carry it. */
  public long resetSeconds() {
    return ceilSeconds(resetAfter);
  }

  /** {@link #retryAfter} in whole seconds, rounded up (at least 1 when refused), for {@code Retry-After}. */
  public long retryAfterSeconds() {
    long seconds = ceilSeconds(retryAfter);
    return allowed ? seconds : Math.max(1, seconds);
  }

  private static long ceilSeconds(Duration duration) {
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }
}
