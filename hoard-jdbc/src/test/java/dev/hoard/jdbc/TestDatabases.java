package dev.hoard.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the real databases of the tests are, and how to make and drop their tables.
 *
 * <p>Tests ask for a URL when they run, never in a static initialiser: a database that is down
 * then fails each test with a message naming the server and {@code scripts/services}, not with
 * an {@code ExceptionInInitializerError}. A database found ready is remembered for the run.
 */
final class TestDatabases {

  private static final Map<String, String> READY = new ConcurrentHashMap<>();

  private TestDatabases() {}

  /** PostgreSQL on loopback (database hoard_test, created if missing), or HOARD_PG_URL. */
  static String postgres() {
    return READY.computeIfAbsent("postgres", name -> preparePostgres());
  }

  private static String preparePostgres() {
    String url = System.getenv("HOARD_PG_URL");
    if (url != null && !url.isBlank()) {
      return url;
    }
    try (Connection admin =
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        Statement statement = admin.createStatement();
        ResultSet exists = statement.executeQuery(
            "SELECT 1 FROM pg_database WHERE datname = 'hoard_test'")) {
      if (!exists.next()) {
        statement.execute("CREATE DATABASE hoard_test");
      }
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) {
        throw new IllegalStateException(
            "PostgreSQL must run on 127.0.0.1:5432 (user postgres, trust auth): run"
                + " scripts/services, or set HOARD_PG_URL", e);
      }
    }
    return "jdbc:postgresql://127.0.0.1:5432/hoard_test?user=postgres";
  }

  /** MariaDB on loopback (database hoard_test, created if missing), or HOARD_MARIADB_URL. */
  static String mariadb() {
    return mariadb("hoard_test");
  }

  /** MariaDB on loopback, database {@code database} (created if missing), or HOARD_MARIADB_URL. */
  static String mariadb(String database) {
    return READY.computeIfAbsent("mariadb " + database, name -> prepareMariadb(database));
  }

  private static String prepareMariadb(String database) {
    String url = System.getenv("HOARD_MARIADB_URL");
    if (url != null && !url.isBlank()) {
      return url;
    }
    try (Connection admin = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?user=root");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS " + database);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "MariaDB must run on 127.0.0.1:3306 (user root, no password): run scripts/services,"
              + " or set HOARD_MARIADB_URL", e);
    }
    return "jdbc:mariadb://127.0.0.1:3306/" + database + "?user=root";
  }

  /** A table name no other test run uses. */
  static String uniqueTable(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
  }

  /** Adds store parameters to a URL's query. */
  static String withParameters(String url, String parameters) {
    return url + (url.contains("?") ? "&" : "?") + parameters;
  }

  /** Runs SQL straight on the database, past the store. */
  static long count(String driverUrl, String sql) {
    try (Connection connection = DriverManager.getConnection(driverUrl);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed on " + driverUrl, e);
    }
  }

  /** Drops the table and whatever indexes it has. */
  static void drop(String driverUrl, String table) {
    try (Connection connection = DriverManager.getConnection(driverUrl);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop " + table + " on " + driverUrl, e);
    }
  }
}
