/**
 * The values a store passes through {@link dev.hoard.cache.spi.CacheStore#gcra} to run a token
 * bucket atomically: {@link dev.hoard.ratelimit.spi.GcraStep}, the definition of one step, and its
 * {@link dev.hoard.ratelimit.spi.GcraOutcome}.
 */
package dev.hoard.ratelimit.spi;
