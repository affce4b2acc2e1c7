package dev.hoard.jdbc;

class PostgresCacheStoreIT extends JdbcStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.postgres();
  }
  @Override
  protected String unsyncedCommitParameters() {
    return "&options=-c%20synchronous_commit%3Doff";
  }
}
