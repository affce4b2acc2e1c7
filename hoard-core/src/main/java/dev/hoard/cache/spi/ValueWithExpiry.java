package dev.hoard.cache.spi;

import java.util.Objects;

/**
 * A stored value with its absolute expiry, as read by {@link CacheStore#getWithExpiry}; tiers use
 * it to copy an entry without letting the copy outlive the original.
 *
 * @param value the value in its stored form
 * @param expiresAt epoch millis of the store's clock, or {@link CacheStore#NEVER}
 */
public record ValueWithExpiry(Object value, long expiresAt) {

  /** Checks the parts. */
  public ValueWithExpiry {
    Objects.requireNonNull(value, "value");
  }
}
