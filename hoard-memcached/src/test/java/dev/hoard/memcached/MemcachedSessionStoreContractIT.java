package dev.hoard.memcached;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.cache.CacheSessionStore;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;

/**
 * The session store contract for sessions kept in Memcached ({@code cache:memcached://…}): the
 * cache-backed session store over two real memcached servers.
 */
class MemcachedSessionStoreContractIT extends SessionStoreContract {

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return CacheSessionStore.builder(TestServers.builder("sessions").clock(clock).build())
        .prefix("app:").build();
  }
}
