package dev.hoard.memcached.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Maps cache keys to memcached keys: {@code prefix + version + ":" + key}.
 *
 * <p>Memcached keys are at most 250 bytes of printable ASCII. A key that would not fit, holds any
 * other character (space, control, non-ASCII) or starts with {@code #} is replaced by {@code #}
 * and the base64url SHA-256 of its UTF-8 bytes. Plain keys never start with {@code #}, so a hashed
 * key cannot meet a plain one; keys are never truncated.
 */
public final class MemcachedKeys {

  /** The longest memcached key. */
  public static final int MAX_KEY_BYTES = 250;

  /** The longest prefix; leaves room for the version and a hashed key. */
  public static final int MAX_PREFIX_BYTES = 180;

  private static final char HASHED = '#';

  private final String prefix;

  /**
   * Creates the mapping for one prefix.
   *
   * @throws IllegalArgumentException if the prefix is too long or not printable ASCII
   */
  public MemcachedKeys(String prefix) {
    if (prefix.length() > MAX_PREFIX_BYTES || !printableAscii(prefix)) {
      throw new IllegalArgumentException(
          "memcached prefix '" + prefix + "' must be at most " + MAX_PREFIX_BYTES
              + " printable ASCII characters without spaces, e.g. app:");
    }
    this.prefix = prefix;
  }

  /** The prefix every key of this store starts with. */
  public String prefix() {
    return prefix;
  }

  /** The key holding the namespace version; data keys have a digit where this has 'n'. */
  public String versionKey() {
    return prefix + "namespace";
  }

  /** The memcached key of a cache key under a namespace version. */
  public String dataKey(long version, String key) {
    String head = prefix + version + ':';
    if (head.length() + key.length() <= MAX_KEY_BYTES && !key.isEmpty()
        && key.charAt(0) != HASHED && printableAscii(key)) {
      return head.concat(key);
    }
    return head + HASHED + hash(key);
  }

  private static boolean printableAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
