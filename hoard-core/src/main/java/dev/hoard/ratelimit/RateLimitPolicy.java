package dev.hoard.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link RateLimiter} enforces: {@code limit} permits per {@code period}, counted by {@code
 * algorithm}; for a token bucket, up to {@code burst} permits at once.
 *
 * @param name the namespace of the limiter's keys in the store
 * @param limit permits per period
 * @param period the period
 * @param algorithm how permits are counted
 * @param burst the bucket size of a token bucket; equal to {@code limit} for the window algorithms
 */
public record RateLimitPolicy(
    String name, long limit, Duration period, RateLimitAlgorithm algorithm, long burst) {

  /** Checks the parts. */
  public RateLimitPolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(algorithm, "algorithm");
  }

  /** The limit a client sees in {@code RateLimit-Limit}: the burst of a token bucket, else the limit. */
  public long quota() {
    return algorithm == RateLimitAlgorithm.TOKEN_BUCKET ? burst : limit;
  }

  @Override
  public String toString() {
    return name + ": " + limit + " per " + period
        + (algorithm == RateLimitAlgorithm.TOKEN_BUCKET ? " (token bucket, burst " + burst + ")"
            : " (" + algorithm.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
  }
}
