package dev.hoard.jdbc;

class PostgresSessionSecurityTest extends JdbcSessionSecuritySuite {

  private static final String URL = TestDatabases.postgres();

  @Override
  protected String driverUrl() {
    return URL;
  }
}
