package dev.hoard.cache.spi;

import java.nio.charset.StandardCharsets;

/**
 * How a counter written by {@link CacheStore#increment} is stored: ASCII decimal digits (an
 * optional minus sign, then digits) in a store that keeps bytes, a {@link Long} in one that keeps
 * references. Every store and every reader of counters uses this one format, so a counter written
 * by one client reads the same in another and in the server's own counter commands.
 */
public final class CounterFormat {

  private CounterFormat() {}

  /** The bytes a store that keeps bytes stores for a counter holding {@code value}. */
  public static byte[] encode(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The value of the counter stored as {@code bytes} under {@code key}.
   *
   * @param key the key as it should appear in the error message (a store may abbreviate it)
   * @throws IllegalStateException from {@link #notACounter} when the bytes are not a counter
   */
  public static long decode(String key, byte[] bytes) {
    try {
      return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw notACounter(key, bytes);
    }
  }

  /**
   * The value of a counter as a store returned it: a {@link Long} from a store that keeps
   * references, or bytes in this format.
   *
   * @param key the key as it should appear in the error message
   * @param stored the non-null value read under {@code key}
   * @throws IllegalStateException from {@link #notACounter} when the value is not a counter
   */
  public static long decode(String key, Object stored) {
    if (stored instanceof Long number) {
      return number;
    }
    if (stored instanceof byte[] bytes) {
      return decode(key, bytes);
    }
    throw notACounter(key, stored);
  }

  /**
   * The error for incrementing or reading as a counter a key that holds something else: it names
   * the key and what it holds, and says to delete it.
   */
  public static IllegalStateException notACounter(String key, Object stored) {
    String held = stored instanceof byte[] bytes
        ? bytes.length + " bytes"
        : "a " + (stored == null ? "null" : stored.getClass().getSimpleName());
    return new IllegalStateException(
        "key '" + key + "' holds " + held + ", not a counter (ASCII decimal digits); delete it"
            + " before incrementing");
  }
}
