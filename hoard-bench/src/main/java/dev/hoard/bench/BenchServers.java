package dev.hoard.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Where the benchmarks find their servers, each from a system property or, failing that, an
 * environment variable, with the local defaults of a development machine:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>property</th><th>variable</th><th>default</th></tr>
 *   <tr><td>hoard.bench.redis</td><td>HOARD_BENCH_REDIS</td><td>redis://127.0.0.1:6379/0</td></tr>
 *   <tr><td>hoard.bench.memcached</td><td>HOARD_BENCH_MEMCACHED</td><td>127.0.0.1:11211</td></tr>
 *   <tr><td>hoard.bench.postgres</td><td>HOARD_BENCH_POSTGRES</td>
 *       <td>jdbc:postgresql://127.0.0.1:5432/?user=postgres</td></tr>
 *   <tr><td>hoard.bench.mariadb</td><td>HOARD_BENCH_MARIADB</td>
 *       <td>jdbc:mariadb://127.0.0.1:3306/?user=root</td></tr>
 *   <tr><td>hoard.bench.database</td><td>HOARD_BENCH_DATABASE</td><td>hoard_bench</td></tr>
 * </table>
 *
 * <p>The SQL URLs name no database: the benchmarks create {@code hoard.bench.database} if it is
 * missing and work in tables of their own run, which they drop afterwards.
 */
final class BenchServers {

  /** Every benchmark key starts with this, so a run never touches anyone else's keys. */
  static final String PREFIX = "hoard-bench:";

  private BenchServers() {}

  private static String setting(String property, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.replace('.', '_').toUpperCase(Locale.ROOT));
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  /** The Redis server's URL, e.g. {@code redis://127.0.0.1:6379/0}. */
  static String redis() {
    return setting("hoard.bench.redis", "redis://127.0.0.1:6379/0");
  }

  /** {@link #redis()} with extra parameters, e.g. {@code prefix=…}. */
  static String redis(String parameters) {
    String url = redis();
    return url + (url.contains("?") ? "&" : "?") + parameters;
  }

  /** The Redis server's host, for clients configured by host and port. */
  static String redisHost() {
    return URI.create(redis()).getHost();
  }

  /** The Redis server's port. */
  static int redisPort() {
    int port = URI.create(redis()).getPort();
    return port == -1 ? 6379 : port;
  }

  /** The memcached server, {@code host:port}. */
  static String memcached() {
    return setting("hoard.bench.memcached", "127.0.0.1:11211");
  }

  /** The database the SQL benchmarks work in. */
  static String database() {
    String name = setting("hoard.bench.database", "hoard_bench");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "hoard.bench.database must be a plain SQL name such as hoard_bench, was '" + name + "'");
    }
    return name;
  }

  /** A JDBC URL for the benchmark database on PostgreSQL, created if missing. */
  static String postgres() {
    String server = setting("hoard.bench.postgres", "jdbc:postgresql://127.0.0.1:5432/?user=postgres");
    createDatabase(inDatabase(server, "postgres"),
        "SELECT 1 FROM pg_database WHERE datname = '" + database() + "'",
        "CREATE DATABASE " + database());
    return inDatabase(server, database());
  }

  /** A JDBC URL for the benchmark database on MariaDB, created if missing. */
  static String mariadb() {
    String server = setting("hoard.bench.mariadb", "jdbc:mariadb://127.0.0.1:3306/?user=root");
    createDatabase(server, null, "CREATE DATABASE IF NOT EXISTS " + database());
    return inDatabase(server, database());
  }

  /** The server URL with its path set to one database: {@code jdbc:x://host:port/db?query}. */
  private static String inDatabase(String serverUrl, String database) {
    int query = serverUrl.indexOf('?');
    String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
    String parameters = query < 0 ? "" : serverUrl.substring(query);
    int hostStart = base.indexOf("//") + 2;
    int path = base.indexOf('/', hostStart);
    String server = path < 0 ? base : base.substring(0, path);
    return server + "/" + database + parameters;
  }

  private static void createDatabase(String adminUrl, String existsQuery, String create) {
    try (Connection admin = DriverManager.getConnection(adminUrl);
        Statement statement = admin.createStatement()) {
      if (existsQuery != null) {
        try (ResultSet exists = statement.executeQuery(existsQuery)) {
          if (exists.next()) {
            return;
          }
        }
      }
      statement.execute(create);
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) {
        throw new IllegalStateException(
            "cannot create the benchmark database at " + adminUrl + " (" + e.getMessage()
                + "); start the server or point hoard.bench.postgres / hoard.bench.mariadb at one",
            e);
      }
    }
  }
}
