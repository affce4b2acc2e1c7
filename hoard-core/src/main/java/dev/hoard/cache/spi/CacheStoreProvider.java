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
}
