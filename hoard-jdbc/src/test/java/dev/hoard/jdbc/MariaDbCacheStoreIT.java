package dev.hoard.jdbc;

class MariaDbCacheStoreIT extends JdbcStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.mariadb();
  }
}
