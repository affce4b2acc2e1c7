package dev.hoard.cache.resilience;

import java.util.Locale;

/**
 * What a {@link ResilientCacheStore} does when more invalidations were made during an outage than
 * its replay queue holds. Either way the overflow is logged once and counted in {@link
 * dev.hoard.cache.spi.StoreStatistics#replayOverflows()}.
 */
public enum ReplayOverflowPolicy {
  /**
   * The queue is replaced by one {@code clear} of the store (its own prefix only on a shared
   * server), replayed on recovery: every entry is reloaded, none is stale. The default, because
   * an invalidation an application made must not be silently undone.
   */
  CLEAR,
  /**
   * Invalidations that do not fit are forgotten: the entries they named may be read again after
   * the store recovers, until they expire. For caches whose TTLs bound the staleness they accept.
   */
  DROP;

  /**
   * The policy named by the {@code replayOverflow} URL parameter: {@code clear} or {@code drop}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ReplayOverflowPolicy fromUrlValue(String value) {
    String wanted = value.trim().toUpperCase(Locale.ROOT);
    for (ReplayOverflowPolicy policy : values()) {
      if (policy.name().equals(wanted)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown replay overflow policy '" + value + "'; use clear or drop");
  }
}
