package dev.hoard.servlet;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.util.UUID;

/** {@link RateLimitFilterTest}'s scenarios with the limits on the shared Redis server. */
class RateLimitFilterOnRedisIT extends RateLimitFilterTest.Scenarios {

  @Override
  CacheStore openStore(ManualClock clock) {
    String server = System.getenv().getOrDefault("HOARD_REDIS_URL", "redis://127.0.0.1:6379/0");
    return Caches.openStore(
        server + "?prefix=hoard-test:RateLimitFilterOnRedisIT:" + UUID.randomUUID() + ":", clock);
  }
}
