package dev.hoard.jdbc.internal;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.jdbc.JdbcStoreBuilder;
import java.time.Duration;
import java.util.Optional;

/**
 * What a {@code jdbc:} store URL says to the store rather than to the driver: {@code table},
 * {@code createTable}, {@code purgeInterval} (a duration or {@code off}) and {@code poolSize}.
 * Every other parameter stays in {@link #driverUrl()} exactly as written (H2 gets them as {@code
 * ;name=value}), so a misspelt store parameter reaches the driver, which usually ignores it.
 *
 * @param driverUrl the URL for the driver
 * @param table the table, if given
 * @param createTable whether to create the table, if given
 * @param purgeInterval how often to purge, {@link Duration#ZERO} for off, if given
 * @param poolSize connections in the pool, if given
 */
public record UrlParameters(
    String driverUrl, Optional<String> table, Optional<Boolean> createTable,
    Optional<Duration> purgeInterval, Optional<Integer> poolSize) {

  /** Most connections a store's pool may have. */
  public static final int MAX_POOL_SIZE = 1_000;

  /**
   * Takes the store parameters out of {@code url} and everything else into the driver URL.
   *
   * @throws IllegalArgumentException naming a bad parameter or an unsupported database
   */
  public static UrlParameters take(StoreUrl url) {
    String baseUrl = "jdbc:" + url.schemeSpecificPart();
    Dialect dialect = Dialect.forUrl(baseUrl);
    Optional<String> table = url.take("table");
    Optional<Boolean> createTable = url.takeBoolean("createTable");
    Optional<Duration> purgeInterval = purgeInterval(url);
    Optional<Long> poolSize = url.takeLong("poolSize");
    if (poolSize.isPresent() && poolSize.get() > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "parameter 'poolSize' must be at most " + MAX_POOL_SIZE + ", was " + poolSize.get()
              + " in " + url);
    }
    String driverUrl = dialect.withDriverParameters(baseUrl, url.takeRemaining());
    return new UrlParameters(driverUrl, table, createTable, purgeInterval,
        poolSize.map(Long::intValue));
  }

  /** Sets on {@code builder} what the URL gave; the builder's defaults stand for the rest. */
  public <B extends JdbcStoreBuilder<B>> B applyTo(B builder) {
    table.ifPresent(builder::table);
    createTable.ifPresent(builder::createTable);
    purgeInterval.ifPresent(builder::purgeInterval);
    poolSize.ifPresent(builder::poolSize);
    return builder;
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
