package dev.hoard.jdbc;

class PostgresSessionStoreTest extends JdbcSessionStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.postgres();
  }
}
