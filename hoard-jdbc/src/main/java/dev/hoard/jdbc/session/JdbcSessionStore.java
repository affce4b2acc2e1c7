package dev.hoard.jdbc.session;

import dev.hoard.cache.spi.PurgeSchedule;
import dev.hoard.jdbc.JdbcStoreBuilder;
import dev.hoard.jdbc.internal.Database;
import dev.hoard.jdbc.internal.Dialect;
import dev.hoard.jdbc.internal.SessionSql;
import dev.hoard.jdbc.internal.StoreSettings;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Sessions in two SQL tables on PostgreSQL, MariaDB/MySQL, SQLite or H2, over a HikariCP pool:
 * one row per session ({@code hoard_sessions} unless told otherwise; indexed on expiry and user)
 * and one row per attribute ({@code <table>_attributes}), so a delta writes only the attributes
 * it changed.
 *
 * <p>A delta is one transaction that first updates the session row (which takes its lock and
 * serialises concurrent deltas on one session): the times become the later of stored and given,
 * and if no live row matched, the session is gone and nothing is written. Attributes are then
 * written with the dialect's UPSERT ({@code ON CONFLICT}, {@code ON DUPLICATE KEY}, {@code
 * MERGE}), never insert-then-update, so concurrent first writes of one attribute cannot fail on
 * a duplicate key. On PostgreSQL the whole delta is one statement (the attribute writes join the
 * updated row in a {@code WITH} clause): one round trip and one commit. Expired rows are invisible
 * at once and removed by {@link #purgeExpired} in small batches that skip rows another node is
 * purging.
 *
 * <p>Keys are the hashed ids the session manager files sessions under: printable ASCII, at most
 * 128 characters. Attribute names take at most 1024 bytes of UTF-8, user ids 255 characters.
 */
public final class JdbcSessionStore implements SessionStore {

  /** The session table used when none is named; attributes go to {@code <table>_attributes}. */
  public static final String DEFAULT_TABLE = "hoard_sessions";

  /** Sessions deleted per purge transaction when not told otherwise. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 200;

  /** Connections in a pool the store opens itself when not told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private static final int MAX_KEY_LENGTH = 128;
  private static final int MAX_NAME_BYTES = 1024;
  private static final int MAX_USER_LENGTH = 255;
  private static final int MAX_PURGE_BATCHES_PER_RUN = 200;
  private static final int IN_LIST_SIZE = 500;

  private final Clock clock;
  private final Database database;
  private final SessionSql sql;
  private final String description;
  private final int purgeBatchSize;
  private final PurgeSchedule purge;

  private JdbcSessionStore(
      StoreSettings settings, Database database, SessionSql sql, String description) {
    this.clock = settings.clock();
    this.database = database;
    this.sql = sql;
    this.description = description;
    this.purgeBatchSize = settings.purgeBatchSize();
    this.purge = PurgeSchedule.start("hoard-jdbc-session-purge-" + sql.sessions(),
        settings.purgeInterval(), description, () -> purgeExpired(clock.instant()));
  }

  /** Starts configuring a store that opens its own pool on a JDBC URL (parameters go to the driver). */
  public static Builder builder(String jdbcUrl) {
    return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
  }

  /** Starts configuring a store on a pool the application owns; the store never closes it. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The session table. */
  public String table() {
    return sql.sessions();
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    checkKey(key);
    return execute("load", key, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.selectSession())) {
        select.setString(1, key);
        select.setLong(2, now.toEpochMilli());
        try (ResultSet rows = select.executeQuery()) {
          Map<String, SessionRecord> found = records(rows, key);
          return found.get(key);
        }
      }
    });
  }

  /**
   * Folds joined rows (one per attribute) into records. The key is read from the first column
   * unless {@code onlyKey} names it.
   */
  private static Map<String, SessionRecord> records(ResultSet rows, String onlyKey)
      throws SQLException {
    Map<String, Object[]> times = new LinkedHashMap<>();
    Map<String, Map<String, byte[]>> attributes = new HashMap<>();
    int offset = onlyKey == null ? 1 : 0;
    while (rows.next()) {
      String key = onlyKey == null ? rows.getString(1) : onlyKey;
      if (!times.containsKey(key)) {
        times.put(key, new Object[] {
            rows.getLong(offset + 1), rows.getLong(offset + 2), rows.getLong(offset + 3),
            rows.getString(offset + 4)});
        attributes.put(key, new HashMap<>());
      }
      byte[] name = rows.getBytes(offset + 5);
      if (name != null) {
        attributes.get(key).put(
            new String(name, StandardCharsets.UTF_8), rows.getBytes(offset + 6));
      }
    }
    Map<String, SessionRecord> records = new LinkedHashMap<>();
    times.forEach((key, row) -> records.put(key, new SessionRecord(key,
        Instant.ofEpochMilli((Long) row[0]), Instant.ofEpochMilli((Long) row[1]),
        Instant.ofEpochMilli((Long) row[2]), (String) row[3], attributes.get(key))));
    return records;
  }

  @Override
  public void create(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    String key = record.key();
    checkKey(key);
    checkUser(record.userId());
    List<Map.Entry<byte[], byte[]>> attributes = encoded(record.attributes());
    inTransaction("create", key, connection -> {
      // The row first: its lock orders this write against deltas and deletes of the same key.
      try (PreparedStatement upsert = connection.prepareStatement(sql.upsertSession())) {
        upsert.setString(1, key);
        upsert.setLong(2, record.createdAt().toEpochMilli());
        upsert.setLong(3, record.lastAccessedAt().toEpochMilli());
        upsert.setLong(4, record.expiresAt().toEpochMilli());
        setUser(upsert, 5, record.userId());
        upsert.executeUpdate();
      }
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteAttributes())) {
        delete.setString(1, key);
        delete.executeUpdate();
      }
      writeAttributes(connection, key, attributes);
      return null;
    });
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    Objects.requireNonNull(delta, "delta");
    checkKey(key);
    checkUser(delta.userId());
    List<Map.Entry<byte[], byte[]>> changed = encoded(delta.changed());
    List<byte[]> removed = new ArrayList<>();
    for (String name : delta.removed()) {
      removed.add(nameBytes(name));
    }
    boolean bindUser = delta.userId() != null;
    String oneStatement = sql.deltaInOneStatement(bindUser, changed.size(), removed.size());
    if (oneStatement != null) {
      return execute("update", key, connection -> {
        try (PreparedStatement update = connection.prepareStatement(oneStatement)) {
          int i = bindTouch(update, delta, key, now);
          for (Map.Entry<byte[], byte[]> attribute : changed) {
            update.setBytes(i++, attribute.getKey());
            update.setBytes(i++, attribute.getValue());
          }
          for (byte[] name : removed) {
            update.setBytes(i++, name);
          }
          try (ResultSet applied = update.executeQuery()) {
            return applied.next() && applied.getLong(1) > 0;
          }
        }
      });
    }
    return inTransaction("update", key, connection -> {
      try (PreparedStatement touch = connection.prepareStatement(sql.touch(bindUser))) {
        bindTouch(touch, delta, key, now);
        if (touch.executeUpdate() == 0) {
          // Gone (deleted, regenerated, expired): left gone, never recreated half-empty.
          connection.rollback();
          return false;
        }
      }
      writeAttributes(connection, key, changed);
      if (!removed.isEmpty()) {
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteAttribute())) {
          for (byte[] name : removed) {
            delete.setString(1, key);
            delete.setBytes(2, name);
            delete.addBatch();
          }
          delete.executeBatch();
        }
      }
      return true;
    });
  }

  /** Binds {@link SessionSql#touch}'s parameters; returns the index of the next one. */
  private static int bindTouch(
      PreparedStatement touch, SessionDelta delta, String key, Instant now) throws SQLException {
    long access = delta.lastAccessedAt().toEpochMilli();
    long expires = delta.expiresAt().toEpochMilli();
    int i = 1;
    touch.setLong(i++, access);
    touch.setLong(i++, access);
    touch.setLong(i++, expires);
    touch.setLong(i++, expires);
    if (delta.userId() != null) {
      touch.setString(i++, delta.userId());
    }
    touch.setString(i++, key);
    touch.setLong(i++, now.toEpochMilli());
    return i;
  }

  private void writeAttributes(
      Connection connection, String key, List<Map.Entry<byte[], byte[]>> attributes)
      throws SQLException {
    if (attributes.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(sql.upsertAttribute())) {
      for (Map.Entry<byte[], byte[]> attribute : attributes) {
        upsert.setString(1, key);
        upsert.setBytes(2, attribute.getKey());
        upsert.setBytes(3, attribute.getValue());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /** Attributes with their names as UTF-8, in name order (one lock order for every writer). */
  private static List<Map.Entry<byte[], byte[]>> encoded(Map<String, byte[]> attributes) {
    List<Map.Entry<byte[], byte[]>> encoded = new ArrayList<>(attributes.size());
    attributes.forEach((name, value) ->
        encoded.add(Map.entry(nameBytes(name), Objects.requireNonNull(value, name))));
    encoded.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
    return encoded;
  }

  @Override
  public boolean delete(String key) {
    checkKey(key);
    return inTransaction("delete", key, connection -> {
      int removed;
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteSession())) {
        delete.setString(1, key);
        removed = delete.executeUpdate();
      }
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteAttributes())) {
        delete.setString(1, key);
        delete.executeUpdate();
      }
      return removed > 0;
    });
  }

  /** Sessions of the user that are live at {@code now}; the index on user_id cannot go stale. */
  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    Objects.requireNonNull(userId, "userId");
    checkUser(userId);
    return execute("findByUser", userId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.selectByUser())) {
        select.setString(1, userId);
        select.setLong(2, now.toEpochMilli());
        try (ResultSet rows = select.executeQuery()) {
          // Equality in Java too: a PAD SPACE collation would match 'ann ' for 'ann'.
          return records(rows, null).values().stream()
              .filter(record -> userId.equals(record.userId()))
              .toList();
        }
      }
    });
  }

  /** Removes every session of the user; counts those that were live by the store's clock. */
  @Override
  public long deleteByUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    checkUser(userId);
    long now = clock.millis();
    return inTransaction("deleteByUser", userId, connection -> {
      List<String> keys = new ArrayList<>();
      long live = 0;
      try (PreparedStatement lock = connection.prepareStatement(sql.lockSessionsOf())) {
        lock.setString(1, userId);
        try (ResultSet rows = lock.executeQuery()) {
          while (rows.next()) {
            keys.add(rows.getString(1));
            if (rows.getLong(2) > now) {
              live++;
            }
          }
        }
      }
      deleteSessions(connection, keys);
      return live;
    });
  }

  private void deleteSessions(Connection connection, List<String> keys) throws SQLException {
    for (int from = 0; from < keys.size(); from += IN_LIST_SIZE) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_LIST_SIZE));
      for (String statement : List.of(
          sql.deleteAttributes(chunk.size()), sql.deleteSessions(chunk.size()))) {
        try (PreparedStatement delete = connection.prepareStatement(statement)) {
          for (int i = 0; i < chunk.size(); i++) {
            delete.setString(i + 1, chunk.get(i));
          }
          delete.executeUpdate();
        }
      }
    }
  }

  /**
   * Deletes sessions expired at {@code now} in transactions of a small batch each, oldest first.
   * Rows another node is purging are skipped (PostgreSQL, MariaDB/MySQL, H2); a lock conflict
   * ends this run early and leaves the rest to the next.
   */
  @Override
  public long purgeExpired(Instant now) {
    long total = 0;
    for (int batch = 0; batch < MAX_PURGE_BATCHES_PER_RUN; batch++) {
      int removed;
      try {
        removed = database.inTransaction(connection -> {
          List<String> keys = new ArrayList<>();
          try (PreparedStatement lock = connection.prepareStatement(sql.lockExpiredBatch())) {
            lock.setLong(1, now.toEpochMilli());
            lock.setInt(2, purgeBatchSize);
            try (ResultSet rows = lock.executeQuery()) {
              while (rows.next()) {
                keys.add(rows.getString(1));
              }
            }
          }
          deleteSessions(connection, keys);
          return keys.size();
        });
      } catch (SQLException e) {
        if (database.dialect().isTransientConflict(e)) {
          break;
        }
        throw failure("purge", null, e);
      }
      total += removed;
      if (removed < purgeBatchSize) {
        break;
      }
    }
    return total;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    if (database.isClosed()) {
      return;
    }
    purge.close();
    database.close();
  }

  @Override
  public String toString() {
    return description;
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "session key '" + abbreviate(key) + "' must be 1 to " + MAX_KEY_LENGTH
              + " printable ASCII characters without spaces, such as a base64url hash of the id");
    }
  }

  private static void checkUser(String userId) {
    if (userId != null && userId.length() > MAX_USER_LENGTH) {
      throw new IllegalArgumentException(
          "user id '" + abbreviate(userId) + "' is longer than " + MAX_USER_LENGTH + " characters");
    }
  }

  private static void setUser(PreparedStatement statement, int index, String userId)
      throws SQLException {
    if (userId == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, userId);
    }
  }

  /** The name's UTF-8 bytes; a lone surrogate has none, and replacing it could merge two names. */
  private static byte[] nameBytes(String name) {
    ByteBuffer utf8;
    try {
      utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(name));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "attribute name '" + abbreviate(name) + "' has a lone surrogate and no UTF-8 form", e);
    }
    if (utf8.remaining() > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "attribute name '" + abbreviate(name) + "' takes " + utf8.remaining()
              + " bytes of UTF-8; the jdbc session store keeps names of at most " + MAX_NAME_BYTES);
    }
    byte[] bytes = new byte[utf8.remaining()];
    utf8.get(bytes);
    return bytes;
  }

  private <T> T execute(String operation, String subject, Database.Work<T> work) {
    try {
      return database.execute(work);
    } catch (SQLException e) {
      throw failure(operation, subject, e);
    }
  }

  private <T> T inTransaction(String operation, String subject, Database.Work<T> work) {
    try {
      return database.inTransaction(work);
    } catch (SQLException e) {
      throw failure(operation, subject, e);
    }
  }

  private SessionException failure(String operation, String subject, SQLException e) {
    String of = subject == null ? "" : " of '" + abbreviate(subject) + "'";
    return new SessionException(
        description + ": " + operation + of + " failed: " + e.getMessage(), e);
  }

  private static String abbreviate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
  }

  /**
   * Configures a {@link JdbcSessionStore}. Its table takes at most {@value
   * SessionSql#MAX_TABLE_NAME} characters; the store does not purge by itself unless given a
   * {@link #purgeInterval}.
   */
  public static final class Builder extends JdbcStoreBuilder<Builder> {

    private Builder(String jdbcUrl, DataSource dataSource) {
      super(jdbcUrl, dataSource, DEFAULT_TABLE, Duration.ZERO, DEFAULT_PURGE_BATCH_SIZE,
          DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the pool and checks or creates the tables.
     *
     * @throws IllegalArgumentException if the URL, table name or driver is wrong, or the tables
     *     are missing while {@code createTable} is off
     * @throws SessionException if the database cannot be reached
     */
    public JdbcSessionStore build() {
      StoreSettings settings = settings();
      String jdbcUrl = settings.jdbcUrl();
      String table = settings.table();
      if (jdbcUrl != null) {
        SessionSql.of(Dialect.forUrl(jdbcUrl), table);
      }
      Database database;
      try {
        database = settings.openDatabase("hoard-jdbc-sessions-" + table);
      } catch (SQLException e) {
        throw new SessionException("jdbc session store, table " + table + ": " + e.getMessage(), e);
      }
      try {
        SessionSql sql = SessionSql.of(database.dialect(), table);
        String text = "jdbc sessions " + database.description() + ", table " + table;
        try {
          database.prepareTables(text + ": table '" + sql.sessions() + "' or '"
              + sql.attributes() + "'", sql.createTables(), sql.probes(), settings.createTable());
        } catch (SQLException e) {
          throw new SessionException(text + ": " + e.getMessage(), e);
        }
        return new JdbcSessionStore(settings, database, sql, text);
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    }
  }
}
