/**
 * SQL cache store and session store for PostgreSQL, MariaDB/MySQL, SQLite and H2. The JDBC driver
 * is the application's choice: it is found by {@code java.sql.DriverManager}, not required here.
 */
module dev.hoard.jdbc {
  requires transitive dev.hoard.core;
  requires transitive dev.hoard.session;
  // The builders take the application's DataSource.
  requires transitive java.sql;
  requires com.zaxxer.hikari;

  exports dev.hoard.jdbc;
  exports dev.hoard.jdbc.session;

  provides dev.hoard.cache.spi.CacheStoreProvider with dev.hoard.jdbc.JdbcStoreProvider;
  provides dev.hoard.session.spi.SessionStoreProvider with
      dev.hoard.jdbc.session.JdbcSessionStoreProvider;
}
