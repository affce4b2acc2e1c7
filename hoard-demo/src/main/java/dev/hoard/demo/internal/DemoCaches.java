package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.StoreUrl;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's three caches, each opened from the one cache URL under its own name so each has its
 * own statistics: {@code users} (profiles), {@code tasks} (task lists and tasks) and {@code
 * limits} (login failure counters).
 */
final class DemoCaches implements AutoCloseable {

  private final Map<String, Cache> caches;

  private DemoCaches(Map<String, Cache> caches) {
    this.caches = caches;
  }

  /** Opens the three caches; fails with the URL's problem before anything is left open. */
  static DemoCaches open(String url) {
    Map<String, Cache> caches = new LinkedHashMap<>();
    try {
      for (String name : new String[] {TodoStore.USERS, TodoStore.TASKS, "limits"}) {
        Cache cache = Caches.open(withName(url, name));
        // Separate namespaces, so the caches never see each other's keys in a shared store.
        caches.put(name, cache.scoped("demo", name));
      }
    } catch (RuntimeException e) {
      caches.values().forEach(Cache::close);
      throw e;
    }
    return new DemoCaches(caches);
  }

  Cache users() {
    return caches.get(TodoStore.USERS);
  }

  Cache tasks() {
    return caches.get(TodoStore.TASKS);
  }

  Cache limits() {
    return caches.get("limits");
  }

  /** Every cache by name, in a stable order. */
  Map<String, Cache> byName() {
    return caches;
  }

  @Override
  public void close() {
    caches.values().forEach(Cache::close);
  }

  private static String withName(String url, String name) {
    StoreUrl parsed = StoreUrl.parse(url);
    if (parsed.parameters().containsKey("name")) {
      throw new IllegalArgumentException("leave 'name' out of the cache URL " + parsed
          + ": the demo names its caches users, tasks and limits itself");
    }
    return url + (url.contains("?") ? "&" : "?") + "name=" + name;
  }
}
