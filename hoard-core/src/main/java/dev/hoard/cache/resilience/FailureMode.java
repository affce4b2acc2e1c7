package dev.hoard.cache.resilience;

import java.util.Locale;

/** What a cache does when its store fails; see {@link ResilientCacheStore}. */
public enum FailureMode {
  /** Store failures reach the caller as {@link dev.hoard.cache.CacheException}. */
  STRICT("strict"),
  /**
   * Store failures are absorbed: reads are misses, writes are dropped, both counted as errors in
   * the statistics (dropped writes also in {@code droppedWrites}, never in {@code puts}); {@code
   * remember} still returns what its loader loaded. Deletes, tag invalidations and clears that
   * could not be applied are queued and replayed before the store is used again, so an outage
   * never brings back an entry the application deleted.
   */
  FAIL_OPEN("open"),
  /**
   * While the primary store fails, calls go to a fallback store (in memory unless given);
   * invalidations are also queued and replayed on the primary, as in {@link #FAIL_OPEN}.
   */
  FALLBACK("fallback");

  private final String urlValue;

  FailureMode(String urlValue) {
    this.urlValue = urlValue;
  }

  /** The value of the {@code failure} URL parameter that selects this mode. */
  public String urlValue() {
    return urlValue;
  }

  /**
   * The mode named by a {@code failure} URL parameter: {@code strict}, {@code open} or {@code
   * fallback} (the constant names are accepted too).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static FailureMode fromUrlValue(String value) {
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    for (FailureMode mode : values()) {
      if (mode.urlValue.equals(wanted) || mode.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown failure mode '" + value + "'; use strict, open or fallback");
  }
}
