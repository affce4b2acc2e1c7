package dev.hoard.jdbc;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.jdbc.internal.UrlParameters;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@code jdbc:postgresql://host/db?table=cache_entries}, {@code jdbc:mariadb://…}, {@code
 * jdbc:mysql://…}, {@code jdbc:sqlite:/var/cache/app.db} and {@code jdbc:h2:…} as a {@link
 * JdbcCacheStore}.
 *
 * <p>The store takes {@code table} (default {@code hoard_cache}; {@code hoard_session_entries} for
 * {@code cache:jdbc:…} sessions and {@code hoard_rate_limits} for rate limits, the defaults of the
 * {@link dev.hoard.cache.spi.ReservedKeySpace} it is opened for), {@code createTable} ({@code true}/{@code false}), {@code
 * purgeInterval} (e.g. {@code 5m}, or {@code off}) and {@code poolSize} out of the URL; every
 * other parameter goes to the driver exactly as written (H2 gets them as {@code ;name=value}).
 * So a misspelt store parameter is not rejected here: the driver receives it, and most drivers
 * ignore what they do not know.
 */
public final class JdbcStoreProvider implements CacheStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public JdbcStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    // Before UrlParameters, which would otherwise take the table for the driver's leftovers.
    String table = url.keySpace().tableIn(url);
    UrlParameters options = UrlParameters.take(url);
    return options.applyTo(
        JdbcCacheStore.builder(options.driverUrl()).clock(clock).table(table)).build();
  }
}
