package dev.hoard.jdbc;

/** On a database of its own, so session tables never sit next to the cache suites' tables. */
class MariaDbSessionStoreTest extends JdbcSessionStoreSuite {

  private static final String URL = TestDatabases.mariadb("hoard_session_test");

  @Override
  protected String driverUrl() {
    return URL;
  }
}
