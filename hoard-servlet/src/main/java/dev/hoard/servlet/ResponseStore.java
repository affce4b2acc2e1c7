package dev.hoard.servlet;

import dev.hoard.cache.Cache;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the filter keeps responses: one {@link CachedResponse} under a URL's primary key, or, when
 * the URL's responses {@code Vary}, a {@link VariantIndex} there and each variant under its own
 * key. A store that fails reads as a miss and writes as a no-op, logged once per failure: a cache
 * outage makes the site slower, not broken.
 */
final class ResponseStore {

  private static final Logger log = LoggerFactory.getLogger(ResponseStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Most tags kept per response; the core allows 255, a page rarely needs more than a few. */
  static final int MAXIMUM_TAGS = 64;

  private final Cache cache;
  private final CachePolicy policy;
  private final List<String> tagFields;

  /**
   * Keeps responses in {@code cache}, for as long as {@code policy} says they are useful, tagged
   * with the values of the response fields {@code tagFields} ({@code Cache-Tag} lists are
   * comma-separated, {@code Surrogate-Key} lists space-separated; both are accepted in each).
   */
  public ResponseStore(Cache cache, CachePolicy policy, List<String> tagFields) {
    this.cache = cache;
    this.policy = policy;
    this.tagFields = List.copyOf(tagFields);
  }

  /** Makes every response stored with any of these tags a miss, on every node sharing the cache. */
  public void invalidateTags(String... tags) {
    cache.invalidateTags(tags);
  }

  /** The tags of a response: the members of its tag fields, sorted, distinct, at most 64. */
  List<String> tags(List<Header> headers) {
    Set<String> tags = new TreeSet<>();
    for (String field : tagFields) {
      for (String value : Header.all(headers, field)) {
        for (String tag : value.split("[,\\s]+")) {
          if (!tag.isEmpty() && tags.size() < MAXIMUM_TAGS) {
            tags.add(tag);
          }
        }
      }
    }
    return List.copyOf(tags);
  }

  /**
   * What is stored for a request.
   *
   * @param index the URL's variant index, or {@code null} when its responses do not vary
   * @param key the key the request's response is (or would be) stored under
   * @param response the stored response, or {@code null} on a miss
   */
  public record Lookup(VariantIndex index, String key, CachedResponse response) {}

  /** Looks up the response stored for {@code request}, whose URL's primary key is {@code primary}. */
  public Lookup lookup(String primary, HttpServletRequest request) {
    CacheRecord record = read(primary);
    if (record instanceof CachedResponse response) {
      return new Lookup(null, primary, response);
    }
    if (record instanceof VariantIndex index) {
      String variant = RequestKeys.variant(primary, index, request);
      return new Lookup(index, variant,
          read(variant) instanceof CachedResponse response ? response : null);
    }
    return new Lookup(null, primary, null);
  }

  /**
   * Stores {@code response} for {@code request} for as long as it stays useful (nothing when it
   * already is not), writing a new variant index when it varies on other headers than {@code
   * found}'s index or outlives it.
   */
  public void store(String primary, Lookup found, HttpServletRequest request,
      CachedResponse response, long now) {
    long retention = response.retention(now, policy);
    if (retention <= 0) {
      return;
    }
    Duration ttl = Duration.ofMillis(retention);
    Set<String> vary = new LinkedHashSet<>();
    for (String name : Header.elements(response.headers(), "Vary")) {
      vary.add(name.toLowerCase(Locale.ROOT));
    }
    try {
      List<String> tags = tags(response.headers());
      if (vary.isEmpty()) {
        put(primary, response, ttl, tags);
        return;
      }
      List<String> names = new ArrayList<>(vary);
      VariantIndex index = found.index();
      VariantIndex current = index != null && index.headerNames().equals(names)
          ? index : new VariantIndex(generation(), names, 0);
      long expiresAt = now + retention;
      if (current.expiresAt() < expiresAt) {
        current = new VariantIndex(current.generation(), names, expiresAt);
        cache.put(primary, current.encode(), ttl);
      }
      put(RequestKeys.variant(primary, current, request), response, ttl, tags);
    } catch (RuntimeException e) {
      failed("could not store the response for " + primary, e);
    }
  }

  /**
   * Deletes what is stored under {@code key}: deleting a primary key orphans every variant under
   * it, since their keys carry the index's generation.
   */
  public void delete(String key) {
    try {
      cache.delete(key);
    } catch (RuntimeException e) {
      failed("could not invalidate " + key, e);
    }
  }

  private void put(String key, CachedResponse response, Duration ttl, List<String> tags) {
    if (tags.isEmpty()) {
      cache.put(key, response.encode(), ttl);
      return;
    }
    cache.tagged(tags.toArray(String[]::new)).put(key, response.encode(), ttl);
    cache.put(key, new TaggedPointer(tags).encode(), ttl);
  }

  /** The record under {@code key}, read through its tagged view when it points to one. */
  private CacheRecord read(String key) {
    CacheRecord record = CacheRecord.decode(get(cache, key));
    if (record instanceof TaggedPointer pointer) {
      return CacheRecord.decode(get(cache.tagged(pointer.tags().toArray(String[]::new)), key));
    }
    return record;
  }

  private byte[] get(Cache from, String key) {
    try {
      return from.get(key, byte[].class);
    } catch (RuntimeException e) {
      failed("could not read the stored response for " + key + "; treating it as a miss", e);
      return null;
    }
  }

  /** One line per failure while the store is down; the stack trace only at debug level. */
  private static void failed(String what, RuntimeException e) {
    log.warn("{}: {}", what, e.toString());
    log.debug(what, e);
  }

  private static String generation() {
    byte[] bytes = new byte[9];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
