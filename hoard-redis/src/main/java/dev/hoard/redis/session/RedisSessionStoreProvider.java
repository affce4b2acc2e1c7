package dev.hoard.redis.session;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.redis.internal.RedisLink;
import dev.hoard.redis.internal.RedisTarget;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Opens {@link RedisSessionStore}s from the same URLs as the Redis cache store ({@code redis://},
 * {@code rediss://}, {@code redis-sentinel://}, {@code redis-cluster://}, with {@code timeout},
 * {@code cacert}, {@code verifyPeer} and {@code replicas}), plus {@code prefix}, put before every
 * key (default {@code hoard:s:}; a prefix overlapping another of Hoard's key spaces, such as
 * {@code hoard:}, is refused, see {@link ReservedKeySpace}).
 */
public final class RedisSessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public RedisSessionStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return new LinkedHashSet<>(RedisTarget.SCHEMES);
  }

  @Override
  public SessionBackend open(StoreUrl url, Clock clock) {
    String prefix = ReservedKeySpace.SESSIONS.prefixIn(url);
    RedisTarget target = RedisTarget.from(url);
    try {
      return new RedisSessionStore(RedisLink.open(target), prefix, clock);
    } catch (CacheException e) {
      throw new SessionException(e.getMessage(), e.getCause());
    }
  }
}
