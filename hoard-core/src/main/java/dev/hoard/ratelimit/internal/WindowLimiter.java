package dev.hoard.ratelimit.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimitPolicy;
import dev.hoard.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;

/**
 * Fixed and sliding windows on {@link CacheStore#increment}: one counter per key and window of one
 * period, aligned to the epoch. The sliding window adds the previous window's counter weighted by
 * the share of it that still overlaps the last period (the estimate Cloudflare describes).
 *
 * <p>A refused request gives its permits back, so hammering while refused does not prolong the
 * refusal; the increment-then-give-back can only refuse too much for an instant, never admit too
 * much. Each counter lives until the end of the window after its own, when the sliding estimate
 * stops reading it.
 */
public final class WindowLimiter implements RateLimiter {

  private final CacheStore store;
  private final RateLimitPolicy policy;
  private final Clock clock;
  private final StoreKeys currentKeys;
  private final StoreKeys previousKeys;
  private final long limit;
  private final long periodMillis;
  private final boolean sliding;
  private volatile Suffixes suffixes = new Suffixes(Long.MIN_VALUE, "", "");

  /** A limiter over {@code store}; the builder has checked the policy. */
  public WindowLimiter(CacheStore store, RateLimitPolicy policy, Clock clock) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    String prefix = "ratelimit:" + policy.name() + ":";
    this.currentKeys = new StoreKeys(prefix);
    this.previousKeys = new StoreKeys(prefix);
    this.limit = policy.limit();
    this.periodMillis = policy.period().toMillis();
    this.sliding = policy.algorithm() == RateLimitAlgorithm.SLIDING_WINDOW;
    // The sliding estimate compares limit × period with counts × period in a long.
    if (Math.multiplyHigh(limit, periodMillis) != 0 || limit * periodMillis > Long.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "limit " + limit + " per " + policy.period() + " is too large to count; use a shorter"
              + " period or a smaller limit");
    }
  }

  @Override
  public RateLimitPolicy policy() {
    return policy;
  }

  @Override
  public RateLimitDecision tryAcquire(String key, long permits) {
    checkRequest(key, permits, limit);
    long now = clock.millis();
    long window = Math.floorDiv(now, periodMillis);
    long elapsed = now - window * periodMillis;
    long untilWindowEnd = periodMillis - elapsed;
    Suffixes suffixes = suffixesOf(window);
    long previous = 0;
    if (sliding) {
      // The previous window is closed: its count can only fall (refunds), so one read suffices.
      String previousKey = previousKeys.of(key, suffixes.previous);
      previous = previousCount(previousKey, store.get(previousKey));
    }
    String counterKey = currentKeys.of(key, suffixes.current);
    // Lives through the next window too, which reads it as its previous one.
    long expiresAt = store.clock().millis() + untilWindowEnd + periodMillis;
    long current = store.increment(counterKey, permits, expiresAt);
    // previous × (period − elapsed) / period + current ≤ limit, in integers.
    long carried = previous * untilWindowEnd;
    long used = carried + current * periodMillis;
    long capacity = limit * periodMillis;
    if (used <= capacity) {
      long remaining = Math.min(limit, (capacity - used) / periodMillis);
      return new RateLimitDecision(
          true, limit, remaining, resetAfter(untilWindowEnd, current), Duration.ZERO);
    }
    store.increment(counterKey, -permits, expiresAt);
    long before = current - permits;
    long remaining = Math.max(0, (capacity - carried - before * periodMillis) / periodMillis);
    return new RateLimitDecision(false, limit, Math.min(limit, remaining),
        resetAfter(untilWindowEnd, before),
        Duration.ofMillis(retryAfter(previous, before, permits, elapsed)));
  }

  /** The key suffixes of a window and of the one before it. */
  private record Suffixes(long window, String current, String previous) {}

  /** The suffixes of {@code window}, made once per window rather than once per request. */
  private Suffixes suffixesOf(long window) {
    Suffixes cached = suffixes;
    if (cached.window != window) {
      cached = new Suffixes(window, ":" + window, ":" + (window - 1));
      suffixes = cached;
    }
    return cached;
  }

  /** The previous window's count; a key holding something else is another writer's. */
  private static long previousCount(String key, Object stored) {
    if (stored == null) {
      return 0;
    }
    try {
      return CounterFormat.decode(key, stored);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "the rate-limit counter '" + key + "' holds something that is not a counter; another"
              + " writer uses the ratelimit: namespace, delete the key or rename the limiter", e);
    }
  }

  /** Until no counter weighs on the key: the window's end, or the next one's if this one counts. */
  private Duration resetAfter(long untilWindowEnd, long current) {
    return Duration.ofMillis(sliding && current > 0 ? untilWindowEnd + periodMillis : untilWindowEnd);
  }

  /** The wait until {@code permits} would fit, if nothing else arrived meanwhile. */
  private long retryAfter(long previous, long current, long permits, long elapsed) {
    long untilWindowEnd = periodMillis - elapsed;
    if (!sliding) {
      return untilWindowEnd;
    }
    long spare = limit - current - permits;
    if (spare >= 0 && previous > 0) {
      // previous × (period − e) ≤ spare × period  ⇔  e ≥ period − spare × period / previous
      long fitsAt = periodMillis - Math.floorDiv(spare * periodMillis, previous);
      if (fitsAt < periodMillis) {
        return Math.max(1, fitsAt - elapsed);
      }
    }
    if (current == 0) {
      return untilWindowEnd;
    }
    // In the next window this one's count is the previous one: current × (period − e) ≤
    // (limit − permits) × period.
    long fitsAt = periodMillis - Math.floorDiv((limit - permits) * periodMillis, current);
    return untilWindowEnd + fitsAt;
  }

  static void checkRequest(String key, long permits, long quota) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a rate-limit key must not be null or empty");
    }
    if (permits < 1 || permits > quota) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the limit " + quota + ", was " + permits);
    }
  }

  @Override
  public String toString() {
    return "RateLimiter[" + policy + " on " + store.description() + "]";
  }
}
