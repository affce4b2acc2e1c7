package dev.hoard.jcache.internal;

import dev.hoard.codec.Codec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns JCache keys into store keys and back: the cache's prefix (empty when the cache has a store
 * of its own), then the key. A {@code String} key is itself, so that a hit on a memory store
 * looks up the caller's own string; every other key starts with {@code \0} and a letter saying
 * what follows ({@code \0l42}), and a {@code String} that itself starts with {@code \0} is written
 * {@code \0s} and the string, which keeps the mapping one to one.
 *
 * <p>Any other key of a store-by-value cache is serialized with the manager's codec, so two keys
 * are the same entry exactly when their serialized forms are equal, and the store form is itself
 * the copy that by-value semantics ask for. A store-by-reference cache (memory only) may use keys
 * that cannot be serialized: each such key gets a number, kept while the key has an entry. Numbers
 * are made and forgotten only under the key's lock in {@link StoreJCache}.
 */
final class KeyFormat {

  private static final char TAGGED = '\0';

  private final String prefix;
  private final int prefixLength;
  private final Codec codec;
  private final ClassLoader classLoader;
  private final boolean byReference;
  private final Map<Object, String> numbered = new ConcurrentHashMap<>();
  private final Map<String, Object> byNumber = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong();

  /**
   * Keys under {@code prefix}: {@code ""} for a cache with a store of its own, else one made by
   * {@link #prefixOf}.
   */
  KeyFormat(String prefix, Codec codec, ClassLoader classLoader, boolean byReference) {
    this.prefix = prefix;
    this.prefixLength = prefix.length();
    this.codec = codec;
    this.classLoader = classLoader;
    this.byReference = byReference;
  }

  /**
   * The prefix of cache {@code cacheName} in a store several caches share. {@code %} and {@code :}
   * are percent-escaped, so no cache's prefix is a prefix of another's.
   */
  static String prefixOf(String cacheName) {
    return "jcache:" + cacheName.replace("%", "%25").replace(":", "%3A") + ":";
  }

  /** What every store key of this cache starts with. */
  String prefix() {
    return prefix;
  }

  /** The store key of {@code key}, numbering a by-reference key if it has no number yet. */
  String storeKey(Object key) {
    String plain = plainStoreKey(key);
    if (plain != null) {
      return plain;
    }
    return numbered.computeIfAbsent(key, k -> {
      String storeKey = tagged('r', Long.toString(numbers.incrementAndGet()));
      byNumber.put(storeKey, k);
      return storeKey;
    });
  }

  /** The store key of {@code key}, or {@code null} for a by-reference key without an entry. */
  String existingStoreKey(Object key) {
    String plain = plainStoreKey(key);
    return plain != null ? plain : numbered.get(key);
  }

  private String plainStoreKey(Object key) {
    if (key instanceof String text) {
      if (!text.isEmpty() && text.charAt(0) == TAGGED) {
        return tagged('s', text);
      }
      return prefixLength == 0 ? text : prefix.concat(text);
    }
    if (key instanceof Long || key instanceof Integer) {
      return tagged(key instanceof Long ? 'l' : 'i', key.toString());
    }
    if (byReference) {
      return null;
    }
    return tagged('j', Base64.getUrlEncoder().withoutPadding().encodeToString(codec.encode(key)));
  }

  private String tagged(char kind, String body) {
    return prefix + TAGGED + kind + body;
  }

  /** Drops the number of a by-reference key whose entry is gone. */
  void forget(Object key) {
    if (byReference) {
      String storeKey = numbered.remove(key);
      if (storeKey != null) {
        byNumber.remove(storeKey);
      }
    }
  }

  /** Drops every number: the cache was cleared. */
  void forgetAll() {
    numbered.clear();
    byNumber.clear();
  }

  /** The key of a store key; {@code null} for a numbered key forgotten meanwhile. */
  Object key(String storeKey) {
    if (storeKey.length() == prefixLength || storeKey.charAt(prefixLength) != TAGGED) {
      return storeKey.substring(prefixLength);
    }
    String body = storeKey.substring(prefixLength + 2);
    switch (storeKey.charAt(prefixLength + 1)) {
      case 's':
        return body;
      case 'l':
        return Long.valueOf(body);
      case 'i':
        return Integer.valueOf(body);
      case 'r':
        return byNumber.get(storeKey);
      default:
        byte[] bytes = Base64.getUrlDecoder().decode(body);
        return ClassLoaders.withContextLoader(classLoader, () -> codec.decode(bytes, Object.class));
    }
  }
}
