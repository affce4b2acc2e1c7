package dev.hoard.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hoard.cache.Cache;
import dev.hoard.codec.Codecs;
import dev.hoard.jdbc.JdbcCacheStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get-hit and put of a 100-character string in one SQL table: Hoard's JDBC store through the
 * public {@link Cache} API (UTF-8 codec) versus plain JDBC, a prepared statement per call on the
 * same HikariCP pool and the same table layout (the statements Hoard's dialect runs, written out
 * by hand, with the key hashes computed once up front so the baseline does the least work it
 * can), on PostgreSQL and MariaDB, 1 and 4 threads.
 *
 * <p>Both sides share one pool of 8 connections configured as Hoard configures its own (READ
 * COMMITTED on MariaDB). On PostgreSQL the pool sets {@code synchronous_commit=off} for both, so a
 * put measures the statement rather than this machine's disk flush; MariaDB flushes every commit
 * ({@code innodb_flush_log_at_trx_commit=1} is a server setting), so its puts mostly measure the
 * disk, equally for both sides.
 *
 * <p>Run, with the databases of {@code scripts/services} (PostgreSQL 127.0.0.1:5432 user postgres,
 * MariaDB 127.0.0.1:3306 user root; database hoard_bench, created if missing) —
 * the second command runs paired rounds ({@link PairedRuns}); the reported ratios were taken so.
 *
 * <pre>
 * ./mvnw -B -o -q -pl hoard-bench -am package -DskipTests
 * java -jar hoard-bench/target/benchmarks.jar JdbcCacheBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.PairedRuns \
 *     'JdbcCacheBenchmark' impl hoard jdbc 3 database=postgresql
 * </pre>
 *
 * <p>Add {@code -p database=postgresql} for one database only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class JdbcCacheBenchmark {

  private static final int KEYS = 1 << 10;
  private static final int MASK = KEYS - 1;
  private static final Duration TTL = Duration.ofHours(1);

  /** Which database. */
  @Param({"postgresql", "mariadb"})
  public String database;

  /** Which client to measure. */
  @Param({"hoard", "jdbc"})
  public String impl;

  private String table;
  private String[] keys;
  private String[] values;
  private byte[][] hashes;
  private HikariDataSource pool;
  private Cache hoard;
  private String select;
  private String upsert;

  @Setup(Level.Trial)
  public void open() throws Exception {
    table = "hoard_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    HikariConfig config = new HikariConfig();
    config.setPoolName("bench-" + database);
    config.setMaximumPoolSize(8);
    if (database.equals("postgresql")) {
      String url = BenchServers.postgres();
      config.setJdbcUrl(url + (url.contains("?") ? "&" : "?")
          + "options=-c%20synchronous_commit%3Doff");
      upsert = "INSERT INTO " + table + " (key_hash, cache_key, cache_value, expires_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (key_hash) DO UPDATE SET"
          + " cache_value = EXCLUDED.cache_value, expires_at = EXCLUDED.expires_at";
    } else {
      config.setJdbcUrl(BenchServers.mariadb());
      config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
      upsert = "INSERT INTO " + table + " (key_hash, cache_key, cache_value, expires_at)"
          + " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
          + " cache_value = VALUES(cache_value), expires_at = VALUES(expires_at)";
    }
    select = "SELECT cache_value FROM " + table + " WHERE key_hash = ? AND expires_at > ?";
    pool = new HikariDataSource(config);
    // Hoard creates the table for both sides, so they read and write the same layout.
    JdbcCacheStore store = JdbcCacheStore.builder(pool).table(table).build();
    hoard = Cache.builder(store).codec(Codecs.utf8()).defaultTtl(TTL).build();

    keys = new String[KEYS];
    values = new String[KEYS];
    hashes = new byte[KEYS][];
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      values[i] = ("value-" + i + "-").repeat(20).substring(0, 100);
      hashes[i] = sha256.digest(keys[i].getBytes(StandardCharsets.UTF_8));
      hoard.put(keys[i], values[i], TTL);
    }
    if (!values[7].equals(rawGet(7))) {
      throw new IllegalStateException("plain JDBC does not read what Hoard wrote in " + table);
    }
  }


  @TearDown(Level.Trial)
  public void drop() throws SQLException {
    hoard.close();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + table);
    }
    pool.close();
  }

  private String rawGet(int i) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setBytes(1, hashes[i]);
      statement.setLong(2, System.currentTimeMillis());
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? new String(row.getBytes(1), StandardCharsets.UTF_8) : null;
      }
    }
  }

  private void rawPut(int i) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(upsert)) {
      statement.setBytes(1, hashes[i]);
      statement.setString(2, keys[i]);
      statement.setBytes(3, values[i].getBytes(StandardCharsets.UTF_8));
      statement.setLong(4, System.currentTimeMillis() + TTL.toMillis());
      statement.executeUpdate();
    }
  }

  private String hit(int i) throws SQLException {
    String value = impl.equals("hoard") ? hoard.get(keys[i], String.class) : rawGet(i);
    if (value == null) {
      throw new IllegalStateException(impl + " missed " + keys[i] + "; the benchmark measures hits");
    }
    return value;
  }

  private void put(int i) throws SQLException {
    if (impl.equals("hoard")) {
      hoard.put(keys[i], values[i], TTL);
    } else {
      rawPut(i);
    }
  }

  @Benchmark
  @Threads(1)
  public String getHit1Thread(KeyCursor cursor) throws SQLException {
    return hit(cursor.advance(MASK));
  }

  @Benchmark
  @Threads(4)
  public String getHit4Threads(KeyCursor cursor) throws SQLException {
    return hit(cursor.advance(MASK));
  }

  @Benchmark
  @Threads(1)
  public void put1Thread(KeyCursor cursor) throws SQLException {
    put(cursor.advance(MASK));
  }

  @Benchmark
  @Threads(4)
  public void put4Threads(KeyCursor cursor) throws SQLException {
    put(cursor.advance(MASK));
  }
}
