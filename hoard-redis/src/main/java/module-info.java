/** Redis cache store, session store, near-cache invalidation and rate-limit scripts, on Lettuce. */
module dev.hoard.redis {
  requires transitive dev.hoard.core;
  requires transitive dev.hoard.session;
  // The builders take the application's RedisClient or RedisClusterClient. Lettuce ships no
  // descriptor but a stable Automatic-Module-Name; see this module's pom.
  requires transitive lettuce.core;
  // Reconnect attempts are scheduled on the client's own Netty event loops.
  requires io.netty.common;
  requires org.slf4j;

  exports dev.hoard.redis;
  exports dev.hoard.redis.session;

  provides dev.hoard.cache.spi.CacheStoreProvider with dev.hoard.redis.RedisStoreProvider;
  provides dev.hoard.session.spi.SessionStoreProvider with
      dev.hoard.redis.session.RedisSessionStoreProvider;
}
