package dev.hoard.jdbc;

import dev.hoard.jdbc.internal.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The settings both JDBC stores are built with: the clock, the table, the pool and the purge.
 * {@link JdbcCacheStore.Builder} and {@link dev.hoard.jdbc.session.JdbcSessionStore.Builder}
 * extend it; it is not meant to be extended elsewhere.
 *
 * @param <B> the builder each setter returns, for chained calls
 */
public abstract class JdbcStoreBuilder<B extends JdbcStoreBuilder<B>> {

  private final String jdbcUrl;
  private final DataSource dataSource;
  private Clock clock = Clock.systemUTC();
  private String table;
  private boolean createTable = true;
  private Duration purgeInterval;
  private int purgeBatchSize;
  private int poolSize;

  /**
   * A builder on exactly one of {@code jdbcUrl} (the store opens its own pool) or {@code
   * dataSource} (the application's pool), starting from the store's defaults.
   */
  protected JdbcStoreBuilder(String jdbcUrl, DataSource dataSource, String defaultTable,
      Duration defaultPurgeInterval, int defaultPurgeBatchSize, int defaultPoolSize) {
    this.jdbcUrl = jdbcUrl;
    this.dataSource = dataSource;
    this.table = defaultTable;
    this.purgeInterval = defaultPurgeInterval;
    this.purgeBatchSize = defaultPurgeBatchSize;
    this.poolSize = defaultPoolSize;
  }

  /** The clock expiry is measured against (reads, the purge); tests pass one they can advance. */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * The table, a plain SQL identifier; the store's {@code DEFAULT_TABLE} unless set. The session
   * store keeps attributes in {@code <table>_attributes}, so its name is shorter.
   */
  public B table(String table) {
    this.table = table;
    return self();
  }

  /** Whether to create the tables and indexes when absent (the default) or expect them. */
  public B createTable(boolean createTable) {
    this.createTable = createTable;
    return self();
  }

  /**
   * How often the store purges expired rows itself, each wait jittered by ±50%; {@link
   * Duration#ZERO} turns it off. The cache store purges every {@link
   * JdbcCacheStore#DEFAULT_PURGE_INTERVAL} unless set; the session store not at all, since the
   * {@code SessionManager} runs the purge on its own schedule.
   *
   * @throws IllegalArgumentException if the interval is negative
   */
  public B purgeInterval(Duration purgeInterval) {
    if (purgeInterval.isNegative()) {
      throw new IllegalArgumentException(
          "purge interval must be positive, or zero for none, was " + purgeInterval);
    }
    this.purgeInterval = purgeInterval;
    return self();
  }

  /**
   * Rows deleted per purge statement or transaction; small batches keep locks short.
   *
   * @throws IllegalArgumentException if not positive
   */
  public B purgeBatchSize(int purgeBatchSize) {
    if (purgeBatchSize <= 0) {
      throw new IllegalArgumentException(
          "purge batch size must be positive, was " + purgeBatchSize);
    }
    this.purgeBatchSize = purgeBatchSize;
    return self();
  }

  /**
   * Connections in the pool the store opens (ignored with an application's DataSource).
   *
   * @throws IllegalArgumentException if not positive
   */
  public B poolSize(int poolSize) {
    if (poolSize <= 0) {
      throw new IllegalArgumentException("pool size must be positive, was " + poolSize);
    }
    this.poolSize = poolSize;
    return self();
  }

  /** What was set, for the store's {@code build()}. */
  // For this module's store builders only: its type is internal, not exported, so a subclass
  // elsewhere could not use it. "exports" would warn of exactly that.
  @SuppressWarnings("exports")
  protected final StoreSettings settings() {
    return new StoreSettings(
        jdbcUrl, dataSource, clock, table, createTable, purgeInterval, purgeBatchSize, poolSize);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
