package dev.hoard.ratelimit;

import dev.hoard.cache.spi.CacheStore;

/**
 * Limits how often each key (a client address, a user, a route) may do something, over any {@link
 * CacheStore}: a memory store for one process, a shared one (Redis, Memcached, SQL) for a fleet.
 * Every decision is one atomic step on the store, so concurrent requests, threads or processes
 * never let more through than the limit.
 *
 * <pre>{@code
 * RateLimiter logins = RateLimiter.builder(store)
 *     .name("login")
 *     .limit(5).per(Duration.ofMinutes(1))
 *     .build();
 * RateLimitDecision decision = logins.tryAcquire(clientAddress);
 * if (!decision.allowed()) { ... decision.retryAfter() ... }
 * }</pre>
 *
 * <p>Store failures reach the caller as the store's exceptions; the servlet filter decides whether
 * to fail open. Implementations are thread-safe.
 */
public interface RateLimiter {

  /** Starts configuring a limiter whose counters live in {@code store}. */
  static RateLimiterBuilder builder(CacheStore store) {
    return new RateLimiterBuilder(store);
  }

  /** Takes one permit for {@code key} if the limit allows it. */
  default RateLimitDecision tryAcquire(String key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} for {@code key} if the limit allows all of them; a refused request takes
   * none.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above the limit (it could
   *     never be granted)
   */
  RateLimitDecision tryAcquire(String key, long permits);

  /** The policy this limiter enforces. */
  RateLimitPolicy policy();
}
