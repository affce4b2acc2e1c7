package dev.hoard.ratelimit.spi;

/**
 * Implemented by a {@link dev.hoard.cache.spi.CacheStore} that can run a {@link GcraStep} as one
 * atomic read-modify-write (a compute on the memory store, a Lua script on Redis). {@link
 * dev.hoard.ratelimit.RateLimiter} checks for it when a token bucket is asked for; stores without it
 * still run the window algorithms, which need only {@link
 * dev.hoard.cache.spi.CacheStore#increment}.
 *
 * <p>The state is one key per limited key, living alongside the store's other entries and expiring
 * like them: a decimal string on Redis, an in-place cell in the memory store.
 */
public interface GcraStore {

  /**
   * Atomically reads the TAT at {@code key}, applies {@code step}, and stores the new TAT with a
   * time to live of {@link GcraStep#ttlMillis} when the step is allowed. A refused step changes
   * nothing.
   *
   * @throws IllegalStateException if the key holds something other than a TAT
   */
  GcraOutcome gcra(String key, GcraStep step);
}
