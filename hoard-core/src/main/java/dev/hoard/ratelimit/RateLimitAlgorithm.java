package dev.hoard.ratelimit;

/** How a {@link RateLimiter} counts. */
public enum RateLimitAlgorithm {
  /**
   * A counter per key and calendar window of one period: cheap and exact within a window, but a
   * client may spend the limit at the end of one window and again at the start of the next. Works
   * on every store (one atomic increment per request).
   */
  FIXED_WINDOW,
  /**
   * The current window's counter plus the previous one's weighted by how much of it still
   * overlaps the last period: close to a true sliding log at the cost of two counters. Works on
   * every store (one read and one atomic increment per request). The default.
   */
  SLIDING_WINDOW,
  /**
   * A token bucket refilled continuously at limit / period, holding up to a burst (the limit
   * unless set), kept as one timestamp with the generic cell rate algorithm (GCRA). The smoothest,
   * one round trip per request, and needs a store with {@link
   * dev.hoard.cache.spi.StoreCapability#GCRA} (memory, Redis). Time is the limiter's clock, also on a
   * shared store: keep the clocks of the processes sharing a limit in step (NTP), since one whose
   * clock runs behind by a second sees the bucket a second emptier, and one ahead a second fuller.
   */
  TOKEN_BUCKET
}
