package dev.hoard.jdbc;

class PostgresCacheStoreTest extends JdbcStoreSuite {

  private static final String URL = TestDatabases.postgres();

  @Override
  protected String driverUrl() {
    return URL;
  }
  @Override
  protected String unsyncedCommitParameters() {
    return "&options=-c%20synchronous_commit%3Doff";
  }
}
