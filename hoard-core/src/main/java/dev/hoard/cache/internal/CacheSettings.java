package dev.hoard.cache.internal;

import dev.hoard.cache.CacheBuilder;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.codec.Codec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What {@link CacheBuilder} decided, frozen: the settings a cache and all its views share.
 *
 * @param name shown in statistics and logs
 * @param store the store, already wrapped for failure behaviour where the builder wraps it
 * @param codec how values become bytes; null for a store that keeps references
 * @param defaultTtl the TTL of a {@code put} without one
 * @param ttlJitter the largest share of a TTL taken off at random, 0 for none
 * @param executor where {@code async()} runs store calls
 * @param rememberLockLease how long {@code remember} may hold the key's lock in the store; null
 *     when loads are single-flight per process only
 */
public record CacheSettings(
    String name,
    CacheStore store,
    Codec codec,
    Duration defaultTtl,
    double ttlJitter,
    Executor executor,
    Duration rememberLockLease) {

  /** Checks the parts the builder always sets. */
  public CacheSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    Objects.requireNonNull(executor, "executor");
  }
}
