package dev.hoard.session.cache;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code cache:<cache store URL>}, such as {@code cache:memcached://127.0.0.1:11211} or
 * {@code cache:file:///var/lib/app/sessions}: sessions kept in any store {@link
 * Caches#openStore} opens, opened for {@link ReservedKeySpace#SESSIONS} (so a Memcached or Redis
 * store defaults to the prefix {@code hoard:s:}). The parameters left after the session ones go to
 * the cache store.
 */
public final class CacheSessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public CacheSessionStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("cache");
  }

  @Override
  public SessionBackend open(StoreUrl url, Clock clock) {
    String inner = url.schemeSpecificPart();
    if (inner.isEmpty()) {
      throw new IllegalArgumentException(
          "a cache-backed session URL names a cache store after 'cache:', e.g."
              + " cache:memcached://127.0.0.1:11211; got " + url);
    }
    List<String> parameters = url.takeRemaining();
    String cacheUrl = parameters.isEmpty() ? inner : inner + "?" + String.join("&", parameters);
    // Opened for sessions: a store with key prefixes then keeps them under hoard:s:, out of reach of
    // a cache's clear() on the same server.
    return CacheSessionStore.builder(
        Caches.openStore(cacheUrl, clock, ReservedKeySpace.SESSIONS)).build();
  }
}
