package dev.hoard.cache.spi;

/**
 * Counters only a store can know: entries it evicted or expired, entries it found corrupt, its size,
 * and what a {@link dev.hoard.cache.resilience.ResilientCacheStore} could not apply while the store
 * failed.
 *
 * @param evictions entries removed to respect a size bound
 * @param expirations entries removed because they expired
 * @param errors entries that could not be read (corrupt) and were dropped, and store failures
 *     absorbed by a fail-open or fallback store
 * @param size live entries, or -1 when the store cannot tell cheaply
 * @param droppedWrites entries that {@code put} and {@code putAll} were asked to store but that
 *     were not written anywhere because the store failed (fail-open)
 * @param replayOverflows invalidations (deleted keys, clears) issued while the store failed that
 *     found the replay queue full; see {@link dev.hoard.cache.resilience.ReplayOverflowPolicy}
 *     for what happened to them (under {@code CLEAR} the clear queued in their place covers the
 *     invalidations after them, which are not counted again)
 */
public record StoreStatistics(
    long evictions, long expirations, long errors, long size, long droppedWrites,
    long replayOverflows) {

  /** For stores that track nothing. */
  public static final StoreStatistics NONE = new StoreStatistics(0, 0, 0, -1);

  /** Counters of a store that never drops writes or invalidations by itself. */
  public StoreStatistics(long evictions, long expirations, long errors, long size) {
    this(evictions, expirations, errors, size, 0, 0);
  }
}
