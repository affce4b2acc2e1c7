/**
 * Rate limits over any {@link dev.hoard.cache.spi.CacheStore}: fixed window, sliding window and a
 * GCRA token bucket, each decision one atomic step on the store. Start at {@link
 * dev.hoard.ratelimit.RateLimiter#builder}.
 */
package dev.hoard.ratelimit;
