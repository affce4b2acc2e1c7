package dev.hoard.jdbc;

class MariaDbSessionSecurityTest extends JdbcSessionSecuritySuite {

  private static final String URL = TestDatabases.mariadb();

  @Override
  protected String driverUrl() {
    return URL;
  }
}
