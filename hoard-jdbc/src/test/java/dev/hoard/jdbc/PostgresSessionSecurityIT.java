package dev.hoard.jdbc;

class PostgresSessionSecurityIT extends JdbcSessionSecuritySuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.postgres();
  }
}
