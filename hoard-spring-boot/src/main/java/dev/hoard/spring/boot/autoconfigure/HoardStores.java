package dev.hoard.spring.boot.autoconfigure;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hoard caches the application's properties name, each URL opened once and shared by every
 * Spring cache and filter that uses it, and closed with the application context.
 */
final class HoardStores implements AutoCloseable {

  private final String defaultUrl;
  private final Map<String, Cache> byUrl = new LinkedHashMap<>();
  private final Map<String, String> labels = new LinkedHashMap<>();

  HoardStores(String defaultUrl) {
    this.defaultUrl = defaultUrl;
  }

  /** The URL of caches without one of their own. */
  String defaultUrl() {
    return defaultUrl;
  }

  /** The cache on the default URL. */
  Cache defaultCache() {
    return cache(defaultUrl, "cache");
  }

  /**
   * The cache on {@code url} ({@code null}: the default), opened on first use; {@code user} names
   * what first asked for it (a Spring cache, the response cache) in health reports.
   *
   * @throws IllegalArgumentException if the URL is bad
   */
  synchronized Cache cache(String url, String user) {
    String effective = url == null || url.isBlank() ? defaultUrl : url;
    Cache cache = byUrl.get(effective);
    if (cache == null) {
      cache = Caches.open(effective);
      byUrl.put(effective, cache);
      labels.put(effective, effective.equals(defaultUrl) ? "cache" : "cache-" + user);
    }
    return cache;
  }

  /** Every cache opened so far, by a label naming its user: {@code cache} for the default URL. */
  synchronized Map<String, Cache> opened() {
    Map<String, Cache> byLabel = new LinkedHashMap<>();
    byUrl.forEach((url, cache) -> byLabel.put(labels.get(url), cache));
    return byLabel;
  }

  @Override
  public synchronized void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (Cache cache : byUrl.values()) {
      try {
        cache.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    byUrl.clear();
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
