package dev.hoard.redis.session;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionStore;

/** Opens Redis session stores from test URLs the way {@code Sessions.open} does. */
final class RedisSessionStores {

  private RedisSessionStores() {}

  static RedisSessionStore open(String url, ManualClock clock) {
    StoreUrl parsed = StoreUrl.parse(url);
    SessionStore store = (SessionStore) new RedisSessionStoreProvider().open(parsed, clock);
    parsed.rejectUnknownParameters();
    return (RedisSessionStore) store;
  }
}
