package dev.hoard.jdbc;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.jdbc.internal.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@code jdbc:postgresql://host/db?table=cache_entries}, {@code jdbc:mariadb://…}, {@code
 * jdbc:mysql://…}, {@code jdbc:sqlite:/var/cache/app.db} and {@code jdbc:h2:…} as a {@link
 * JdbcCacheStore}.
 *
 * <p>The store takes {@code table}, {@code createTable} ({@code true}/{@code false}), {@code
 * purgeInterval} (e.g. {@code 5m}, or {@code off}) and {@code poolSize} out of the URL; every
 * other parameter goes to the driver exactly as written (H2 gets them as {@code ;name=value}).
 * So a misspelt store parameter is not rejected here: the driver receives it, and most drivers
 * ignore what they do not know.
 */
public final class JdbcStoreProvider implements CacheStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("jdbc");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    String baseUrl = "jdbc:" + url.schemeSpecificPart();
    Dialect dialect = Dialect.forUrl(baseUrl);
    Optional<String> table = url.take("table");
    Optional<Boolean> createTable = url.takeBoolean("createTable");
    Optional<Duration> purgeInterval = purgeInterval(url);
    Optional<Long> poolSize = url.takeLong("poolSize");
    if (poolSize.isPresent() && poolSize.get() > 1_000) {
      throw new IllegalArgumentException(
          "parameter 'poolSize' must be at most 1000, was " + poolSize.get() + " in " + url);
    }
    String driverUrl = dialect.withDriverParameters(baseUrl, url.takeRemaining());
    JdbcCacheStore.Builder builder = JdbcCacheStore.builder(driverUrl).clock(clock);
    table.ifPresent(builder::table);
    createTable.ifPresent(builder::createTable);
    purgeInterval.ifPresent(builder::purgeInterval);
    poolSize.ifPresent(size -> builder.poolSize(size.intValue()));
    return builder.build();
  }

  private static Optional<Duration> purgeInterval(StoreUrl url) {
    String given = url.parameters().get("purgeInterval");
    if (given != null && given.equalsIgnoreCase("off")) {
      url.take("purgeInterval");
      return Optional.of(Duration.ZERO);
    }
    return url.takeDuration("purgeInterval");
  }
}
