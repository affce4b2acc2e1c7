package dev.hoard.jdbc;

class MariaDbCacheStoreTest extends JdbcStoreSuite {

  private static final String URL = TestDatabases.mariadb();

  @Override
  protected String driverUrl() {
    return URL;
  }
}
