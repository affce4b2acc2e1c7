package dev.hoard.cache.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.codec.DecodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The tags of a tagged view and their tokens in the store. Each tag has a random token; an entry
 * is live while every token it was written with is still current. Invalidating deletes the token,
 * and an evicted token also invalidates, so a lost token can never resurrect old entries.
 */
final class TagTokens {

  private final CacheStore store;
  private final ValueEncoding encoding;
  private final StatsRecorder stats;
  private final KeySpace scope;
  private final String[] tags;
  private final String[] keys;

  /**
   * The tokens of {@code tags} (as {@link #checked} returns them) kept in {@code scope}, the key
   * space of the view that was tagged.
   */
  TagTokens(CacheStore store, ValueEncoding encoding, StatsRecorder stats, KeySpace scope,
      String[] tags) {
    this.store = store;
    this.encoding = encoding;
    this.stats = stats;
    this.scope = scope;
    this.tags = tags;
    this.keys = new String[tags.length];
    for (int i = 0; i < tags.length; i++) {
      keys[i] = tokenKey(scope, tags[i]);
    }
  }

  /** The key space whose entries these tags invalidate. */
  KeySpace scope() {
    return scope;
  }

  /** The tags, sorted. */
  String[] tags() {
    return tags;
  }

  /** The store key of a tag's token in {@code scope}. */
  static String tokenKey(KeySpace scope, String tag) {
    return scope.reservedKey("tag", tag);
  }

  /** The tags checked, without duplicates and sorted, so that a tag set has one key space. */
  static String[] checked(String... tags) {
    Objects.requireNonNull(tags, "tags");
    if (tags.length == 0) {
      throw new IllegalArgumentException("give at least one tag");
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String tag : tags) {
      Objects.requireNonNull(tag, "tag");
      if (tag.isEmpty()) {
        throw new IllegalArgumentException("tags must not be empty");
      }
      sorted.add(tag);
    }
    if (sorted.size() > 255) {
      throw new IllegalArgumentException("at most 255 tags per entry, got " + sorted.size());
    }
    return sorted.toArray(new String[0]);
  }

  /** The current token of each tag, creating those that are missing. */
  long[] current() {
    Map<String, Object> found = store.getAll(Arrays.asList(keys));
    long[] tokens = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      Object stored = found.get(keys[i]);
      if (stored == null) {
        long fresh = ThreadLocalRandom.current().nextLong();
        if (!store.putIfAbsent(keys[i], encoding.encodeToken(fresh), CacheStore.NEVER)) {
          stored = store.get(keys[i]);
        }
        // Still none: an invalidation raced us, or a fail-open store dropped the write. An
        // unsaved token makes the entry read as invalidated, which is right in both cases.
        tokens[i] = stored == null ? fresh : encoding.decodeToken(stored);
      } else {
        tokens[i] = encoding.decodeToken(stored);
      }
    }
    return tokens;
  }

  /** An encoded value framed with the current tokens, ready to store. */
  Object wrap(Object encoded) {
    return encoding.wrapTagged(current(), encoded);
  }

  /**
   * The payloads of the entries at {@code storeKeys} that are live (written with every current
   * token), read in one call together with the tokens.
   */
  Map<String, Object> live(Collection<String> storeKeys) {
    List<String> all = new ArrayList<>(storeKeys);
    all.addAll(Arrays.asList(keys));
    Map<String, Object> found = store.getAll(all);
    long[] current = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      Object token = found.get(keys[i]);
      if (token == null) {
        return Map.of();
      }
      try {
        current[i] = encoding.decodeToken(token);
      } catch (DecodingException e) {
        stats.error();
        return Map.of();
      }
    }
    Map<String, Object> live = new HashMap<>();
    for (String storeKey : storeKeys) {
      Object stored = found.get(storeKey);
      if (stored == null) {
        continue;
      }
      try {
        ValueEncoding.Tagged tagged = encoding.unwrapTagged(stored);
        if (Arrays.equals(tagged.tokens(), current)) {
          live.put(storeKey, tagged.payload());
        }
      } catch (DecodingException e) {
        stats.error();
      }
    }
    return live;
  }
}
