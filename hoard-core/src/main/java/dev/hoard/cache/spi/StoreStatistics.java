package dev.hoard.cache.spi;

/**
 * Counters only a store can know: entries it evicted or expired, entries it found corrupt, its size.
 *
 * @param evictions entries removed to respect a size bound
 * @param expirations entries removed because they expired
 * @param errors entries that could not be read (corrupt) and were dropped
 * @param size live entries, or -1 when the store cannot tell cheaply
 */
public record StoreStatistics(long evictions, long expirations, long errors, long size) {

  /** For stores that track nothing. */
  public static final StoreStatistics NONE = new StoreStatistics(0, 0, 0, -1);
}
