package dev.hoard.jcache.internal;

import dev.hoard.codec.Codec;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns JCache keys into store keys and back. The common key types stay readable ({@code
 * s:alice}, {@code l:42}).
 *
 * <p>Any other key of a store-by-value cache is serialized with the manager's codec, so two keys
 * are the same entry exactly when their serialized forms are equal, and the store form is itself
 * the copy that by-value semantics ask for. A store-by-reference cache (memory only) may use keys
 * that cannot be serialized: each such key gets a number, kept while the key has an entry. Its
 * numbers are made and forgotten only under the key's lock in {@link StoreJCache}.
 */
final class KeyFormat {

  private final String prefix;
  private final int prefixLength;
  private final Codec codec;
  private final ClassLoader classLoader;
  private final boolean byReference;
  private final Map<Object, String> numbered = new ConcurrentHashMap<>();
  private final Map<String, Object> byNumber = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong();

  /** Keys of the cache {@code cacheName}, all under a prefix no other cache's start with. */
  KeyFormat(String cacheName, Codec codec, ClassLoader classLoader, boolean byReference) {
    this.prefix = "jcache:" + escape(cacheName) + ":";
    this.prefixLength = prefix.length();
    this.codec = codec;
    this.classLoader = classLoader;
    this.byReference = byReference;
  }

  /** Percent-escapes {@code %} and {@code :}, so that no cache's prefix is a prefix of another's. */
  private static String escape(String name) {
    return name.replace("%", "%25").replace(":", "%3A");
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
      String storeKey = prefix + 'r' + numbers.incrementAndGet();
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
      return prefix + 's' + text;
    }
    if (key instanceof Long number) {
      return prefix + 'l' + number;
    }
    if (key instanceof Integer number) {
      return prefix + 'i' + number;
    }
    if (byReference) {
      return null;
    }
    return prefix + 'j'
        + Base64.getUrlEncoder().withoutPadding().encodeToString(codec.encode(key));
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
    char kind = storeKey.charAt(prefixLength);
    String body = storeKey.substring(prefixLength + 1);
    switch (kind) {
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
