package dev.hoard.jdbc;

class PostgresSessionStoreIT extends JdbcSessionStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.postgres();
  }
}
