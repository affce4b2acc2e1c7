package dev.hoard.memcached;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.Durations;
import dev.hoard.cache.spi.StoreUrl;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Opens {@code memcached://h1:11211,h2:11211?prefix=app:&timeout=500ms}. Parameters: {@code
 * prefix} (default {@code hoard:c:}, or the default of the {@link
 * dev.hoard.cache.spi.ReservedKeySpace} the store is opened for; a prefix overlapping another Hoard
 * key space is refused), {@code timeout} (per request, default 1s), {@code
 * connectTimeout} (default 5s), {@code connections}
 * (per server, default 1), {@code namespaceRefresh} (how soon a clear() by another process is
 * seen, default 1s; {@code 0} checks on every call) and {@code maxValueSize} (bytes).
 */
public final class MemcachedStoreProvider implements CacheStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("memcached");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    if (url.hosts().isEmpty()) {
      throw new IllegalArgumentException(
          "a memcached URL names its servers: memcached://host1:11211,host2:11211, not " + url);
    }
    if (!url.path().isEmpty() && !url.path().equals("/")) {
      throw new IllegalArgumentException(
          "a memcached URL has no path (memcached has no databases), got '" + url.path()
              + "' in " + url);
    }
    if (url.user().isPresent() || url.password().isPresent()) {
      throw new IllegalArgumentException(
          "memcached SASL authentication is not supported; remove the user and password from "
              + url);
    }
    MemcachedCacheStore.Builder builder = MemcachedCacheStore.builder().clock(clock);
    url.hosts().forEach(builder::server);
    builder.prefix(url.keySpace().prefixIn(url));
    url.takeDuration("timeout").ifPresent(builder::timeout);
    url.takeDuration("connectTimeout").ifPresent(builder::connectTimeout);
    url.take("namespaceRefresh").map(MemcachedStoreProvider::refresh)
        .ifPresent(builder::namespaceRefresh);
    url.takeLong("connections").ifPresent(n -> builder.connections((int) Math.min(n, 1024)));
    url.takeLong("maxValueSize").ifPresent(builder::maxValueSize);
    return builder.build();
  }

  private static Duration refresh(String text) {
    if (text.trim().equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter 'namespaceRefresh' " + e.getMessage(), e);
    }
  }
}
