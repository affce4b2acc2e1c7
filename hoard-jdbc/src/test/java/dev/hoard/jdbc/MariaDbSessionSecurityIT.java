package dev.hoard.jdbc;

class MariaDbSessionSecurityIT extends JdbcSessionSecuritySuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.mariadb();
  }
}
