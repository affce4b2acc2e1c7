package dev.hoard.jdbc;

class PostgresCacheStoreTest extends JdbcStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.postgres();
  }
  @Override
  protected String unsyncedCommitParameters() {
    return "&options=-c%20synchronous_commit%3Doff";
  }
}
