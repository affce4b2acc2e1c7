package dev.hoard.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The database a JDBC store works on: its {@link Dialect}, a connection pool (a HikariCP pool
 * opened here on a URL, or the application's own {@link DataSource}), table preparation, and
 * execution that retries what the database rolled back because another writer got there first.
 * The cache store and the session store both stand on it.
 */
public final class Database implements AutoCloseable {

  private static final int MAX_ATTEMPTS = 50;

  /** Work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs on {@code connection}. */
    T run(Connection connection) throws SQLException;
  }

  private final Dialect dialect;
  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final String description;
  private final boolean inMemory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(Dialect dialect, DataSource dataSource, HikariDataSource ownedPool,
      String description, boolean inMemory) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    this.description = description;
    this.inMemory = inMemory;
  }

  /**
   * Opens a pool of {@code poolSize} connections on a JDBC URL, which goes to the driver as given.
   *
   * @throws IllegalArgumentException if the URL is for another database or no driver takes it
   * @throws SQLException if the pool cannot open its first connection
   */
  public static Database open(String jdbcUrl, int poolSize, String poolName) throws SQLException {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Dialect dialect = Dialect.forUrl(jdbcUrl);
    try {
      DriverManager.getDriver(jdbcUrl);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "no JDBC driver on the classpath accepts " + Dialect.redact(jdbcUrl) + ": "
              + dialect.missingDriverHint(jdbcUrl), e);
    }
    boolean inMemory = dialect.inMemory(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName(poolName);
    config.setMaximumPoolSize(inMemory && dialect == Dialect.SQLITE ? 1 : poolSize);
    if (inMemory) {
      // The database dies with its last connection: never retire connections.
      config.setMaxLifetime(0);
      config.setIdleTimeout(0);
    }
    if (dialect.transactionIsolation() != null) {
      config.setTransactionIsolation(isolationName(dialect.transactionIsolation()));
    }
    dialect.driverDefaults().forEach((name, value) -> {
      if (!jdbcUrl.toLowerCase(Locale.ROOT).contains(name + "=")) {
        config.addDataSourceProperty(name, value);
      }
    });
    try {
      HikariDataSource pool = new HikariDataSource(config);
      return new Database(dialect, pool, pool,
          dialect.displayName() + " " + Dialect.redact(jdbcUrl), inMemory);
    } catch (RuntimeException e) {
      throw new SQLException("cannot open a connection: " + rootMessage(e), e);
    }
  }

  /**
   * Works on a pool the application owns and closes itself; the dialect is found from the
   * database's product name.
   *
   * @throws IllegalArgumentException if the database is not one the stores speak
   * @throws SQLException if no connection can be had
   */
  public static Database on(DataSource dataSource) throws SQLException {
    Objects.requireNonNull(dataSource, "dataSource");
    try (Connection connection = dataSource.getConnection()) {
      Dialect dialect = Dialect.forProductName(connection.getMetaData().getDatabaseProductName());
      return new Database(dialect, dataSource, null,
          dialect.displayName() + " (application DataSource)", false);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to the given DataSource: " + e.getMessage(), e);
    }
  }

  /** The database's dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** The pool. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The database and where it is, without passwords or parameters. */
  public String description() {
    return description;
  }

  /** Whether the database lives only as long as its connections. */
  public boolean inMemory() {
    return inMemory;
  }

  /**
   * Runs {@code createStatements} when {@code create}, then checks that every probe runs; a
   * failed creation is forgiven when the probes pass (another node created the tables at the
   * same moment).
   *
   * @throws IllegalArgumentException if the tables are missing and {@code create} is off
   * @throws SQLException if they cannot be created or reached
   */
  public void prepareTables(String what, List<String> createStatements, List<String> probes,
      boolean create) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (create) {
        try (Statement statement = connection.createStatement()) {
          for (String ddl : createStatements) {
            statement.execute(ddl);
          }
        } catch (SQLException e) {
          if (!usable(connection, probes)) {
            throw new SQLException("cannot create " + what + ": " + e.getMessage(), e);
          }
        }
      } else if (!usable(connection, probes)) {
        throw new IllegalArgumentException(
            what + " is missing (or lacks its columns) and createTable is off; create it with: "
                + String.join("; ", createStatements));
      }
    }
  }

  private static boolean usable(Connection connection, List<String> probes) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.rollback();
    }
    try (Statement statement = connection.createStatement()) {
      for (String probe : probes) {
        statement.executeQuery(probe).close();
      }
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Runs work on a pooled connection. A deadlock, lock timeout or a unique violation (someone
   * inserted the same key first) rolled the statement back, so the work runs again.
   *
   * @throws SQLException the last failure when it is not worth retrying or retries ran out
   */
  public <T> T execute(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        return work.run(connection);
      } catch (SQLException e) {
        boolean retry = dialect.isTransientConflict(e) || dialect.isUniqueViolation(e);
        if (!retry || attempt >= MAX_ATTEMPTS || closed.get()) {
          throw e;
        }
        if (attempt > 2) {
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(attempt * 200_000L));
        }
      }
    }
  }

  /** {@link #execute} in one transaction, committed when the work returns, else rolled back. */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    return execute(connection -> {
      connection.setAutoCommit(false);
      T result;
      try {
        result = work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
          connection.setAutoCommit(true);
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
      connection.setAutoCommit(true);
      return result;
    });
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Closes the pool if it was opened here; an application's DataSource is left alone. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownedPool != null) {
      ownedPool.close();
    }
  }

  private static String isolationName(int level) {
    return switch (level) {
      case Connection.TRANSACTION_READ_COMMITTED -> "TRANSACTION_READ_COMMITTED";
      case Connection.TRANSACTION_REPEATABLE_READ -> "TRANSACTION_REPEATABLE_READ";
      case Connection.TRANSACTION_SERIALIZABLE -> "TRANSACTION_SERIALIZABLE";
      default -> throw new IllegalArgumentException("unexpected isolation level " + level);
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
