package dev.hoard.jdbc;

/** On a database of its own, so session tables never sit next to the cache suites' tables. */
class MariaDbSessionStoreIT extends JdbcSessionStoreSuite {

  @Override
  protected String driverUrl() {
    return TestDatabases.mariadb("hoard_session_test");
  }
}
