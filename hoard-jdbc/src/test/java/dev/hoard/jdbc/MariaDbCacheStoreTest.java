package dev.hoard.jdbc;

class MariaDbCacheStoreTest extends JdbcStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.mariadb();
  }
}
