package dev.hoard.jdbc;

class PostgresSessionStoreTest extends JdbcSessionStoreSuite {

  private static final String URL = TestDatabases.postgres();

  @Override
  protected String driverUrl() {
    return URL;
  }
}
