package dev.hoard.session.spi;

import dev.hoard.cache.spi.StoreUrl;
import java.time.Clock;
import java.util.Set;

/**
 * Opens session backends for URL schemes; registered with {@link java.util.ServiceLoader} so that
 * adding a module to the classpath makes its schemes work in {@link dev.hoard.session.Sessions#open}.
 */
public interface SessionStoreProvider {

  /** The URL schemes this provider opens, such as {@code redis} or {@code cookie}. */
  Set<String> schemes();

  /**
   * Opens a backend, taking the parameters it knows from the URL; parameters left untaken are
   * rejected by the caller.
   *
   * @throws IllegalArgumentException if a parameter is bad
   */
  SessionBackend open(StoreUrl url, Clock clock);
}
