package dev.hoard.redis.session;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.TestUrls;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;

/** The session store contract on the shared Redis server. */
class StandaloneRedisSessionContractIT extends SessionStoreContract {

  private static final String URL = TestUrls.withUniquePrefix(
      TestUrls.sharedServer(), StandaloneRedisSessionContractIT.class);

  /** Sessions live for up to hours of real time: clear the prefix rather than leave them. */
  @AfterAll
  static void clearThePrefix() {
    try (CacheStore keys = Caches.openStore(URL, Clock.systemUTC())) {
      keys.clear();
    }
  }

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return RedisSessionStores.open(URL, clock);
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(((RedisSessionStore) store).indexedSessionsOf(userId));
  }
}
