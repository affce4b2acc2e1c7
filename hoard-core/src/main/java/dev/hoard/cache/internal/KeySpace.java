package dev.hoard.cache.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.Glob;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Maps a view's keys to store keys so that no two views can ever produce the same store key.
 *
 * <p>A child space's prefix is its parent's prefix, a mark character, the percent-encoded kind and
 * id, and {@code :}. Encoding leaves no mark inside a segment, so a store key parses unambiguously
 * from the front. A user key that itself starts with the mark gets a second mark, which no child
 * segment can start with. The root space has an empty prefix, so its keys reach the store as they
 * are: the hot path allocates nothing.
 */
final class KeySpace {

  static final char MARK = '\u001F';
  static final KeySpace ROOT = new KeySpace("");

  private final String prefix;

  private KeySpace(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  boolean isRoot() {
    return prefix.isEmpty();
  }

  KeySpace child(String kind, String id) {
    return new KeySpace(prefix + MARK + encode(kind) + '=' + encode(id) + ':');
  }

  /** The store key of a user key, after checking the user key. */
  String storeKey(String key) {
    Objects.requireNonNull(key, "key");
    int length = key.length();
    if (length == 0) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (length > Cache.MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "key is " + length + " characters long; the limit is " + Cache.MAX_KEY_LENGTH
              + " (starts with '" + key.substring(0, 40) + "…')");
    }
    if (key.charAt(0) == MARK) {
      return prefix + MARK + key;
    }
    return prefix.isEmpty() ? key : prefix.concat(key);
  }

  /** The store key reserved for internal bookkeeping (tag tokens) in this space. */
  String reservedKey(String kind, String id) {
    return child(kind, id).prefix;
  }

  /** The store glob for a user glob in this space. */
  Glob storeGlob(String userGlob) {
    Glob glob = Glob.of(userGlob.startsWith(String.valueOf(MARK)) ? MARK + userGlob : userGlob);
    return glob.prefixedWith(prefix);
  }

  /** Whether a user glob can only match this space's own keys, never a child space's. */
  boolean excludesChildren(String userGlob) {
    String literal = Glob.of(userGlob).literalPrefix();
    return !literal.isEmpty() && literal.charAt(0) != MARK;
  }

  /** The glob matching every store key of this space and its children. */
  Glob everything() {
    return Glob.of(Glob.escape(prefix) + "*");
  }

  /** The user key of a store key in this space, or null if it belongs to a child space. */
  String userKey(String storeKey) {
    if (!storeKey.startsWith(prefix)) {
      return null;
    }
    String rest = storeKey.substring(prefix.length());
    if (rest.isEmpty()) {
      return null;
    }
    if (rest.charAt(0) != MARK) {
      return rest;
    }
    return rest.length() > 1 && rest.charAt(1) == MARK ? rest.substring(1) : null;
  }

  /** A store key quoted for a log line, its marks shown as {@code /}. */
  static String printable(String storeKey) {
    return "'" + storeKey.replace(MARK, '/') + "'";
  }

  private static String encode(String segment) {
    Objects.requireNonNull(segment, "scope");
    StringBuilder encoded = new StringBuilder(segment.length() + 8);
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return encoded.toString();
  }
}
