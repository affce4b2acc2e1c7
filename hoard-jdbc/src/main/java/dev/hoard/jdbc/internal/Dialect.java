package dev.hoard.jdbc.internal;

import dev.hoard.cache.spi.StoreUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What differs between the SQL databases the JDBC store speaks: column types, the UPSERT form, how
 * to purge a bounded batch, and which errors mean "someone else got there first, try again".
 * Everything else the store does with the same standard SQL on every database.
 *
 * <p>The table always has the same four columns: {@code key_hash} (SHA-256 of the key's UTF-8
 * bytes, the primary key), {@code cache_key} (the key itself, for key scans), {@code cache_value}
 * (the bytes) and {@code expires_at} (epoch millis, {@link Long#MAX_VALUE} for never; indexed).
 */
public enum Dialect {

  /** PostgreSQL 9.5 and later: {@code INSERT … ON CONFLICT}, {@code SKIP LOCKED} purges. */
  POSTGRESQL("PostgreSQL", "org.postgresql:postgresql") {
    @Override
    List<String> createTable(String table) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + table + " (key_hash BYTEA PRIMARY KEY,"
              + " cache_key TEXT NOT NULL, cache_value BYTEA NOT NULL, expires_at BIGINT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS " + table + "_expires_at ON " + table + " (expires_at)");
    }

    @Override
    String upsert(String table, List<String> keys, List<String> columns) {
      return insertInto(table, columns) + " ON CONFLICT (" + String.join(", ", keys)
          + ") DO UPDATE SET " + assignments(keys, columns, "EXCLUDED.%s");
    }

    @Override
    List<String> createSessionTables(String sessions, String attributes) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + sessions + " (session_key VARCHAR(128) PRIMARY KEY,"
              + " created_at BIGINT NOT NULL, last_access BIGINT NOT NULL,"
              + " expires_at BIGINT NOT NULL, user_id VARCHAR(255))",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_expires_at ON " + sessions + " (expires_at)",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_user_id ON " + sessions + " (user_id)",
          "CREATE TABLE IF NOT EXISTS " + attributes + " (session_key VARCHAR(128) NOT NULL,"
              + " name BYTEA NOT NULL, attr_value BYTEA NOT NULL, PRIMARY KEY (session_key, name))");
    }

    @Override
    String insertIfAbsent(String table) {
      return insert(table) + " ON CONFLICT (key_hash) DO NOTHING";
    }

    @Override
    String purgeBatch(String table) {
      // SKIP LOCKED: nodes purging at the same moment take disjoint batches instead of queueing.
      return "DELETE FROM " + table + " WHERE key_hash IN (SELECT key_hash FROM " + table
          + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)";
    }

    @Override
    String incrementInOneStatement(String table) {
      // The row lock is held for one statement instead of a select-update round trip, which is
      // what a hot rate-limit counter needs. Bytes that do not parse raise a data exception.
      return "INSERT INTO " + table + " AS t (key_hash, cache_key, cache_value, expires_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (key_hash) DO UPDATE SET"
          + " cache_value = CASE WHEN t.expires_at <= ? THEN EXCLUDED.cache_value ELSE"
          + " convert_to((convert_from(t.cache_value, 'UTF8')::bigint + ?)::text, 'UTF8') END,"
          + " expires_at = CASE WHEN t.expires_at <= ? THEN EXCLUDED.expires_at"
          + " ELSE t.expires_at END RETURNING cache_value";
    }

    @Override
    boolean modifiesInWith() {
      return true;
    }

    @Override
    public void checkKey(String key) {
      if (key.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "key '" + key.replace("\0", "\\0") + "' contains a NUL character, which PostgreSQL"
                + " text cannot hold; remove it or hash the key first");
      }
    }
  },

  /** MariaDB and MySQL on InnoDB: {@code ON DUPLICATE KEY UPDATE}, {@code DELETE … LIMIT}. */
  MYSQL("MariaDB/MySQL", "org.mariadb.jdbc:mariadb-java-client") {
    @Override
    List<String> createTable(String table) {
      // utf8mb4_bin: keys compare byte for byte, so LIKE scans are case-sensitive as globs are.
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + table + " (key_hash BINARY(32) NOT NULL PRIMARY KEY,"
              + " cache_key LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,"
              + " cache_value LONGBLOB NOT NULL, expires_at BIGINT NOT NULL,"
              + " INDEX " + table + "_expires_at (expires_at)) ENGINE=InnoDB");
    }

    @Override
    String upsert(String table, List<String> keys, List<String> columns) {
      return insertInto(table, columns) + " ON DUPLICATE KEY UPDATE "
          + assignments(keys, columns, "VALUES(%s)");
    }

    @Override
    List<String> createSessionTables(String sessions, String attributes) {
      // Keys are ASCII and names raw UTF-8 bytes: both compare byte for byte, trailing spaces
      // included, which no PAD SPACE collation (utf8mb4_bin among them) would do.
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + sessions + " (session_key VARCHAR(128) CHARACTER SET"
              + " ascii COLLATE ascii_bin NOT NULL PRIMARY KEY, created_at BIGINT NOT NULL,"
              + " last_access BIGINT NOT NULL, expires_at BIGINT NOT NULL, user_id VARCHAR(255)"
              + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
              + " INDEX " + sessions + "_expires_at (expires_at),"
              + " INDEX " + sessions + "_user_id (user_id)) ENGINE=InnoDB",
          "CREATE TABLE IF NOT EXISTS " + attributes + " (session_key VARCHAR(128) CHARACTER SET"
              + " ascii COLLATE ascii_bin NOT NULL, name VARBINARY(1024) NOT NULL,"
              + " attr_value LONGBLOB NOT NULL, PRIMARY KEY (session_key, name)) ENGINE=InnoDB");
    }

    @Override
    String insertIfAbsent(String table) {
      // IGNORE also turns truncation and NULL errors into warnings, but no column here can
      // truncate (LONGTEXT, LONGBLOB, fixed-size hash, BIGINT) or be NULL; a duplicate-key error
      // instead would be logged as a warning by the driver on every lost race.
      return "INSERT IGNORE" + insert(table).substring("INSERT".length());
    }

    @Override
    String purgeBatch(String table) {
      return "DELETE FROM " + table + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?";
    }

    @Override
    String likeEscape() {
      // Backslash is already MySQL's LIKE escape, and spelling it in a literal depends on sql_mode.
      return "";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
      return e.getErrorCode() == 1062;
    }

    @Override
    public boolean isTransientConflict(SQLException e) {
      // 1213 deadlock, 1205 lock wait timeout: InnoDB rolled the statement back, a retry is safe.
      return super.isTransientConflict(e) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }

    @Override
    public Integer transactionIsolation() {
      // READ COMMITTED takes no gap locks, so two first increments of one key conflict on the
      // key (and one retries) instead of deadlocking on the gap.
      return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public String missingDriverHint(String jdbcUrl) {
      return jdbcUrl.startsWith("jdbc:mysql:")
          ? "add com.mysql:mysql-connector-j, or org.mariadb.jdbc:mariadb-java-client and the"
              + " parameter permitMysqlScheme=true in the URL"
          : super.missingDriverHint(jdbcUrl);
    }
  },

  /** SQLite 3.24 and later: {@code INSERT … ON CONFLICT}; one writer at a time, WAL by default. */
  SQLITE("SQLite", "org.xerial:sqlite-jdbc") {
    @Override
    List<String> createTable(String table) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + table + " (key_hash BLOB NOT NULL PRIMARY KEY,"
              + " cache_key TEXT NOT NULL, cache_value BLOB NOT NULL, expires_at INTEGER NOT NULL)",
          "CREATE INDEX IF NOT EXISTS " + table + "_expires_at ON " + table + " (expires_at)");
    }

    @Override
    String upsert(String table, List<String> keys, List<String> columns) {
      return insertInto(table, columns) + " ON CONFLICT (" + String.join(", ", keys)
          + ") DO UPDATE SET " + assignments(keys, columns, "excluded.%s");
    }

    @Override
    List<String> createSessionTables(String sessions, String attributes) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + sessions + " (session_key TEXT NOT NULL PRIMARY KEY,"
              + " created_at INTEGER NOT NULL, last_access INTEGER NOT NULL,"
              + " expires_at INTEGER NOT NULL, user_id TEXT)",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_expires_at ON " + sessions + " (expires_at)",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_user_id ON " + sessions + " (user_id)",
          "CREATE TABLE IF NOT EXISTS " + attributes + " (session_key TEXT NOT NULL,"
              + " name BLOB NOT NULL, attr_value BLOB NOT NULL, PRIMARY KEY (session_key, name))");
    }

    @Override
    String forUpdateSkipLocked() {
      return "";
    }

    @Override
    String insertIfAbsent(String table) {
      return insert(table) + " ON CONFLICT (key_hash) DO NOTHING";
    }

    @Override
    String forUpdate() {
      // SQLite has no row locks: transactions begin IMMEDIATE (see driverDefaults), which takes
      // the database's write lock up front and so serialises read-modify-write.
      return "";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
      return (e.getErrorCode() & 0xff) == 19;
    }

    @Override
    public boolean isTransientConflict(SQLException e) {
      int primary = e.getErrorCode() & 0xff;
      return super.isTransientConflict(e) || primary == 5 || primary == 6;
    }

    @Override
    public boolean inMemory(String jdbcUrl) {
      return jdbcUrl.contains(":memory:") || jdbcUrl.contains("mode=memory");
    }

    @Override
    public Map<String, String> driverDefaults() {
      return Map.of(
          "journal_mode", "WAL",
          "busy_timeout", "30000",
          "transaction_mode", "IMMEDIATE");
    }
  },

  /** H2 2.x: {@code MERGE … KEY}. */
  H2("H2", "com.h2database:h2") {
    @Override
    List<String> createTable(String table) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + table + " (key_hash BINARY(32) NOT NULL PRIMARY KEY,"
              + " cache_key CHARACTER VARYING NOT NULL, cache_value BINARY VARYING NOT NULL,"
              + " expires_at BIGINT NOT NULL)",
          "CREATE INDEX IF NOT EXISTS " + table + "_expires_at ON " + table + " (expires_at)");
    }

    @Override
    String upsert(String table, List<String> keys, List<String> columns) {
      return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY ("
          + String.join(", ", keys) + ") VALUES (" + placeholders(columns.size()) + ")";
    }

    @Override
    List<String> createSessionTables(String sessions, String attributes) {
      return List.of(
          "CREATE TABLE IF NOT EXISTS " + sessions + " (session_key CHARACTER VARYING(128)"
              + " NOT NULL PRIMARY KEY, created_at BIGINT NOT NULL, last_access BIGINT NOT NULL,"
              + " expires_at BIGINT NOT NULL, user_id CHARACTER VARYING(255))",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_expires_at ON " + sessions + " (expires_at)",
          "CREATE INDEX IF NOT EXISTS " + sessions + "_user_id ON " + sessions + " (user_id)",
          "CREATE TABLE IF NOT EXISTS " + attributes + " (session_key CHARACTER VARYING(128)"
              + " NOT NULL, name BINARY VARYING(1024) NOT NULL, attr_value BINARY VARYING NOT NULL,"
              + " PRIMARY KEY (session_key, name))");
    }

    @Override
    String insertIfAbsent(String table) {
      return insert(table);
    }

    @Override
    public boolean inMemory(String jdbcUrl) {
      return jdbcUrl.startsWith("jdbc:h2:mem:");
    }

    @Override
    public String withDriverParameters(String baseUrl, List<String> parameters) {
      // H2 takes settings as ;NAME=value, never as a query string.
      return parameters.isEmpty() ? baseUrl : baseUrl + ";" + String.join(";", parameters);
    }
  };

  private final String displayName;
  private final String driverArtifact;

  Dialect(String displayName, String driverArtifact) {
    this.displayName = displayName;
    this.driverArtifact = driverArtifact;
  }

  /**
   * The dialect of a JDBC URL.
   *
   * @throws IllegalArgumentException naming the URL when it is for another database
   */
  public static Dialect forUrl(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MYSQL;
    }
    if (url.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL " + redact(jdbcUrl) + ": the jdbc store speaks jdbc:postgresql:,"
            + " jdbc:mariadb:, jdbc:mysql:, jdbc:sqlite: and jdbc:h2:");
  }

  /**
   * The dialect of a database by the product name its driver reports.
   *
   * @throws IllegalArgumentException naming the product when it is another database
   */
  public static Dialect forProductName(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MYSQL;
    }
    if (name.contains("sqlite")) {
      return SQLITE;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "unsupported database '" + productName + "': the jdbc store speaks PostgreSQL,"
            + " MariaDB/MySQL, SQLite and H2");
  }

  /** A JDBC URL with passwords masked and query parameters left out, for messages. */
  public static String redact(String jdbcUrl) {
    int question = jdbcUrl.indexOf('?');
    return StoreUrl.parse(question >= 0 ? jdbcUrl.substring(0, question) : jdbcUrl).toString();
  }

  /** The name people know the database by. */
  public String displayName() {
    return displayName;
  }

  /** The statements that create the table and its expiry index when absent. */
  abstract List<String> createTable(String table);

  /** Insert-or-replace of (key_hash, cache_key, cache_value, expires_at). */
  String upsert(String table) {
    return upsert(table, List.of("key_hash"), CACHE_COLUMNS);
  }

  /**
   * Insert of {@code columns} (bound in that order) that replaces the other columns of the row
   * when one with the same {@code keys} exists, in one statement: never insert-then-update.
   */
  abstract String upsert(String table, List<String> keys, List<String> columns);

  /**
   * The statements that create the session table (indexed on expiry and user) and its
   * attribute table, when absent.
   */
  abstract List<String> createSessionTables(String sessions, String attributes);

  /**
   * Whether a WITH clause may hold INSERT, UPDATE and DELETE whose effects the rest of the
   * statement sees (PostgreSQL), so that several dependent writes go in one statement.
   */
  boolean modifiesInWith() {
    return false;
  }

  /** The suffix of a SELECT that locks its rows and skips rows another transaction holds. */
  String forUpdateSkipLocked() {
    return forUpdate() + " SKIP LOCKED";
  }

  /**
   * Insert of (key_hash, cache_key, cache_value, expires_at) that counts 0 rows, or fails with a
   * unique violation, when the key is present.
   */
  abstract String insertIfAbsent(String table);

  /** Deletes at most {@code ?2} rows whose expiry is at or before {@code ?1}. */
  String purgeBatch(String table) {
    return "DELETE FROM " + table + " WHERE key_hash IN (SELECT key_hash FROM " + table
        + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";
  }

  /**
   * (hash, key, delta as counter bytes, expiresAtIfCreated, now, delta, now) → the new counter
   * bytes, in one atomic statement that raises a data exception (SQLState class 22) when the
   * stored bytes are not a counter; {@code null} where the store must use a locking transaction.
   */
  String incrementInOneStatement(String table) {
    return null;
  }

  /** The clause that makes {@code \} the escape of {@link dev.hoard.cache.spi.Glob#toSqlLike()}. */
  String likeEscape() {
    return " ESCAPE '\\'";
  }

  /** The suffix of a SELECT that locks the rows it reads until the transaction ends. */
  String forUpdate() {
    return " FOR UPDATE";
  }

  /** Whether the error says the key already exists. */
  public boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** Whether the error is a deadlock, serialization failure or lock timeout worth retrying. */
  public boolean isTransientConflict(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** Rejects keys this database cannot store. */
  public void checkKey(String key) {}

  /** The isolation level the pool should use, or {@code null} for the driver's default. */
  public Integer transactionIsolation() {
    return null;
  }

  /** Whether the URL names a database that lives only as long as its connections. */
  public boolean inMemory(String jdbcUrl) {
    return false;
  }

  /** Driver properties the store sets unless the URL sets them itself. */
  public Map<String, String> driverDefaults() {
    return Map.of();
  }

  /** The URL with the given {@code name=value} parameters appended in this driver's syntax. */
  public String withDriverParameters(String baseUrl, List<String> parameters) {
    return parameters.isEmpty() ? baseUrl : baseUrl + "?" + String.join("&", parameters);
  }

  /** What to add to the classpath when no driver accepts the URL. */
  public String missingDriverHint(String jdbcUrl) {
    return "add " + driverArtifact + " to the classpath";
  }

  private static final List<String> CACHE_COLUMNS =
      List.of("key_hash", "cache_key", "cache_value", "expires_at");

  static String insert(String table) {
    return insertInto(table, CACHE_COLUMNS);
  }

  static String insertInto(String table, List<String> columns) {
    return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
        + placeholders(columns.size()) + ")";
  }

  /** {@code c = <template of c>} for every column that is not a key. */
  static String assignments(List<String> keys, List<String> columns, String template) {
    return columns.stream().filter(column -> !keys.contains(column))
        .map(column -> column + " = " + String.format(template, column))
        .collect(Collectors.joining(", "));
  }

  static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
