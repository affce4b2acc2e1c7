package dev.hoard.ratelimit.internal;

import java.nio.charset.StandardCharsets;

/** Reads a counter written by {@link dev.hoard.cache.spi.CacheStore#increment}. */
final class Counters {

  private Counters() {}

  /** The counter's value: a {@code Long} in reference stores, ASCII decimal bytes elsewhere. */
  static long value(String key, Object stored) {
    if (stored == null) {
      return 0;
    }
    if (stored instanceof Long number) {
      return number;
    }
    if (stored instanceof byte[] bytes) {
      try {
        return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalStateException(
        "the rate-limit counter '" + key + "' holds something that is not a counter; another"
            + " writer uses the ratelimit: namespace, delete the key or rename the limiter");
  }
}
