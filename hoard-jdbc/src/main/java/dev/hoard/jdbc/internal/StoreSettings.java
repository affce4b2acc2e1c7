package dev.hoard.jdbc.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * What a JDBC store was built with ({@link dev.hoard.jdbc.JdbcStoreBuilder} collects it).
 *
 * @param jdbcUrl the URL the store opens its own pool on, or {@code null} with a data source
 * @param dataSource the application's pool, or {@code null} with a URL
 * @param clock the clock expiry is measured against
 * @param table the table
 * @param createTable whether to create the tables when absent
 * @param purgeInterval how often the store purges itself, {@link Duration#ZERO} for never
 * @param purgeBatchSize rows deleted per purge statement or transaction
 * @param poolSize connections in a pool the store opens
 */
public record StoreSettings(
    String jdbcUrl, DataSource dataSource, Clock clock, String table, boolean createTable,
    Duration purgeInterval, int purgeBatchSize, int poolSize) {

  /** Opens a pool named {@code poolName} on the URL, or wraps the application's data source. */
  public Database openDatabase(String poolName) throws SQLException {
    return jdbcUrl != null ? Database.open(jdbcUrl, poolSize, poolName) : Database.on(dataSource);
  }
}
