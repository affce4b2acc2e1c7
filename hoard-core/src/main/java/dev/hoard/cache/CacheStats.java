package dev.hoard.cache;

import java.time.Duration;

/**
 * A snapshot of what a cache has done since it was opened.
 *
 * @param hits reads that found a live entry
 * @param misses reads that found nothing (undecodable entries count here too)
 * @param puts entries written to the store (or to its fallback); writes a failing store dropped
 *     are counted in {@code droppedWrites} instead
 * @param evictions entries the store dropped to respect its size bound
 * @param expirations entries the store dropped because they expired
 * @param loadSuccesses loader runs in {@code remember} that returned a value
 * @param loadFailures loader runs in {@code remember} that threw
 * @param totalLoadTime time spent in loaders
 * @param errors entries that could not be decoded, and store failures absorbed by a fail-open store
 * @param size live entries, or -1 when the store cannot tell cheaply
 * @param droppedWrites entries a fail-open store did not write because the store was failing
 * @param replayOverflows invalidations made during an outage that found the replay queue full
 *     (see {@link dev.hoard.cache.resilience.ReplayOverflowPolicy})
 */
public record CacheStats(
    long hits,
    long misses,
    long puts,
    long evictions,
    long expirations,
    long loadSuccesses,
    long loadFailures,
    Duration totalLoadTime,
    long errors,
    long size,
    long droppedWrites,
    long replayOverflows) {

  /** A snapshot of a cache whose store never dropped a write or an invalidation. */
  public CacheStats(
      long hits, long misses, long puts, long evictions, long expirations, long loadSuccesses,
      long loadFailures, Duration totalLoadTime, long errors, long size) {
    this(hits, misses, puts, evictions, expirations, loadSuccesses, loadFailures, totalLoadTime,
        errors, size, 0, 0);
  }

  /** Reads that hit, over all reads; 1.0 when there were no reads. */
  public double hitRate() {
    long requests = hits + misses;
    return requests == 0 ? 1.0 : (double) hits / requests;
  }

  /** The mean time a loader took, or zero when none ran. */
  public Duration averageLoadTime() {
    long loads = loadSuccesses + loadFailures;
    return loads == 0 ? Duration.ZERO : totalLoadTime.dividedBy(loads);
  }
}
