package dev.hoard.redis;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.redis.internal.RedisLink;
import dev.hoard.redis.internal.RedisTarget;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Opens {@link RedisCacheStore}s from URLs, found by {@link java.util.ServiceLoader}:
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host[:6379][/db]} and {@code rediss://…} for TLS;
 *   <li>{@code redis-sentinel://[user:password@]h1:26379,h2:26379/mymaster?db=0}, the master's
 *       name as the path;
 *   <li>{@code redis-cluster://[user:password@]h1:7000,h2:7001}, any reachable nodes as seeds.
 * </ul>
 *
 * <p>Parameters: {@code prefix} (put before every key, default {@code hoard:}), {@code timeout}
 * (per command, default {@code 2s}), and for {@code rediss://} {@code cacert} (a PEM file of
 * certificates to trust) and {@code verifyPeer} ({@code full}, {@code ca} or {@code none}).
 */
public final class RedisStoreProvider implements CacheStoreProvider {

  @Override
  public Set<String> schemes() {
    return new LinkedHashSet<>(RedisTarget.SCHEMES);
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    String prefix = url.take("prefix").orElse(RedisCacheStore.DEFAULT_PREFIX);
    RedisTarget target = RedisTarget.from(url);
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter 'prefix' must not be empty, or clear() would delete every key in the"
              + " database; give one such as prefix=app: in " + url);
    }
    return new RedisCacheStore(RedisLink.open(target), prefix, clock);
  }
}
