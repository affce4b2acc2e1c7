package dev.hoard.cache.spi;

import java.time.Clock;
import java.util.Set;

/**
 * Opens a {@link CacheStore} from a URL; found with {@link java.util.ServiceLoader} by URL scheme,
 * the way JDBC finds drivers. Register an implementation in {@code
 * META-INF/services/dev.hoard.cache.spi.CacheStoreProvider}.
 */
public interface CacheStoreProvider {

  /** The URL schemes this provider opens, e.g. {@code memory} or {@code redis}. */
  Set<String> schemes();

  /**
   * Opens a store. The provider consumes the parameters it knows with {@link StoreUrl#take}; the
   * caller rejects any left over.
   *
   * @throws IllegalArgumentException naming the bad part of the URL
   */
  CacheStore open(StoreUrl url, Clock clock);

  /**
   * Opens a store like {@link #open}, but one whose server may not be reachable yet: a provider
   * that can connects in the background, and the store fails its calls until it is connected
   * (a {@link dev.hoard.cache.resilience.ResilientCacheStore} around it fails them open or to its
   * fallback). {@link dev.hoard.cache.Caches#open} uses this in the {@code open} and {@code
   * fallback} failure modes, so an application starts while its cache server is down. By default
   * the same as {@link #open}.
   *
   * @throws IllegalArgumentException naming the bad part of the URL
   */
  default CacheStore openConnectingInBackground(StoreUrl url, Clock clock) {
    return open(url, clock);
  }
}
