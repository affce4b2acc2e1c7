package dev.hoard.jdbc;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.PurgeSchedule;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.jdbc.internal.Database;
import dev.hoard.jdbc.internal.Dialect;
import dev.hoard.jdbc.internal.KeyHash;
import dev.hoard.jdbc.internal.StoreSettings;
import dev.hoard.jdbc.internal.TableSql;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;

/**
 * A cache store in one SQL table on PostgreSQL, MariaDB/MySQL, SQLite or H2, over a HikariCP pool.
 *
 * <p>The table ({@code hoard_cache} unless told otherwise) has a 32-byte primary key {@code
 * key_hash} (SHA-256 of the key, so keys of any length fit and compare exactly whatever the
 * collation), the key itself in {@code cache_key}, the bytes in {@code cache_value} and the
 * absolute expiry in {@code expires_at} (epoch millis of {@link #clock()}, {@link Long#MAX_VALUE}
 * for never), which is indexed. Reads check the expiry, so an expired row is a miss at once; a
 * periodic purge deletes expired rows in small batches, at jittered intervals, and tolerates other
 * nodes purging the same table. Counters are ASCII decimal bytes, changed under a row lock.
 *
 * <p>Drivers are not pulled in: add the one you use ({@code org.postgresql:postgresql}, {@code
 * org.mariadb.jdbc:mariadb-java-client} 3.5.x, {@code org.xerial:sqlite-jdbc} or {@code
 * com.h2database:h2}) next to {@code hoard-jdbc}.
 */
public final class JdbcCacheStore implements CacheStore {

  /** The table used when none is named. */
  public static final String DEFAULT_TABLE = ReservedKeySpace.CACHE.defaultTable();

  /** How often expired rows are purged when not told otherwise (each run jittered by ±50%). */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

  /** Rows deleted per purge statement when not told otherwise. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 500;

  /** Connections in a pool the store opens itself when not told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private static final int MAX_PURGE_BATCHES_PER_RUN = 200;
  private static final int IN_LIST_SIZE = 500;
  private static final int SCAN_PAGE_SIZE = 1000;

  private final Clock clock;
  private final Dialect dialect;
  private final TableSql sql;
  private final Database database;
  private final DataSource dataSource;
  private final String description;
  private final Set<StoreCapability> capabilities;
  private final int purgeBatchSize;
  private final PurgeSchedule purge;
  private final LongAdder expirations = new LongAdder();

  private JdbcCacheStore(
      StoreSettings settings, Database database, TableSql sql, String description) {
    this.clock = settings.clock();
    this.database = database;
    this.dialect = database.dialect();
    this.dataSource = database.dataSource();
    this.sql = sql;
    this.description = description;
    this.purgeBatchSize = settings.purgeBatchSize();
    this.capabilities = database.inMemory()
        ? EnumSet.of(StoreCapability.KEY_SCAN)
        : EnumSet.of(StoreCapability.KEY_SCAN, StoreCapability.PERSISTENT, StoreCapability.SHARED);
    this.purge = PurgeSchedule.start(
        "hoard-jdbc-purge-" + sql.table(), settings.purgeInterval(), description,
        this::purgeExpired);
  }

  /**
   * Starts configuring a store that opens its own pool on a JDBC URL, which goes to the driver
   * as given (parameters included).
   */
  public static Builder builder(String jdbcUrl) {
    return new Builder(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), null);
  }

  /**
   * Starts configuring a store on a pool the application owns; the store never closes it. The
   * dialect is found from the database's product name.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Configures a {@link JdbcCacheStore}. */
  public static final class Builder extends JdbcStoreBuilder<Builder> {

    private Builder(String jdbcUrl, DataSource dataSource) {
      super(jdbcUrl, dataSource, DEFAULT_TABLE, DEFAULT_PURGE_INTERVAL, DEFAULT_PURGE_BATCH_SIZE,
          DEFAULT_POOL_SIZE);
    }

    /**
     * Opens the pool, checks or creates the table and starts the purge.
     *
     * @throws IllegalArgumentException if the URL, table name or driver is wrong, or the table is
     *     missing while {@code createTable} is off
     * @throws CacheException if the database cannot be reached
     */
    public JdbcCacheStore build() {
      StoreSettings settings = settings();
      String jdbcUrl = settings.jdbcUrl();
      String table = settings.table();
      if (jdbcUrl != null) {
        // The table name is checked before anything connects.
        TableSql.of(Dialect.forUrl(jdbcUrl), table);
      }
      Database database;
      try {
        database = settings.openDatabase("hoard-jdbc-" + table);
      } catch (SQLException e) {
        String where = jdbcUrl != null
            ? "jdbc " + Dialect.forUrl(jdbcUrl).displayName() + " " + Dialect.redact(jdbcUrl)
                + ", table " + table
            : "jdbc store";
        throw new CacheException(where + ": " + e.getMessage(), e);
      }
      try {
        TableSql sql = TableSql.of(database.dialect(), table);
        String text = "jdbc " + database.description() + ", table " + table;
        try {
          database.prepareTables(text + ": table '" + table + "'", sql.createTable(),
              List.of(sql.probeTable()), settings.createTable());
        } catch (SQLException e) {
          throw new CacheException(text + ": " + e.getMessage(), e);
        }
        return new JdbcCacheStore(settings, database, sql, text);
      } catch (RuntimeException e) {
        database.close();
        throw e;
      }
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return capabilities;
  }

  @Override
  public String description() {
    return description;
  }

  /** The table this store keeps its entries in. */
  public String table() {
    return sql.table();
  }

  @Override
  public Object get(String key) {
    byte[] hash = hash(key);
    return execute("get", key, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.selectValue())) {
        select.setBytes(1, hash);
        select.setLong(2, clock.millis());
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? row.getBytes(1) : null;
        }
      }
    });
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    byte[] hash = hash(key);
    byte[] bytes = bytes(key, value);
    execute("put", key, connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(sql.upsert())) {
        bindRow(upsert, hash, key, bytes, expiresAt);
        return upsert.executeUpdate();
      }
    });
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    byte[] hash = hash(key);
    byte[] bytes = bytes(key, value);
    return execute("putIfAbsent", key, connection -> {
      // An expired row is as good as absent: remove it, then let the insert race decide.
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteExpired())) {
        delete.setBytes(1, hash);
        delete.setLong(2, clock.millis());
        delete.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(sql.insertIfAbsent())) {
        bindRow(insert, hash, key, bytes, expiresAt);
        return insert.executeUpdate() == 1;
      } catch (SQLException e) {
        if (dialect.isUniqueViolation(e)) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public boolean delete(String key) {
    byte[] hash = hash(key);
    return execute("delete", key, connection -> {
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteLive())) {
        delete.setBytes(1, hash);
        delete.setLong(2, clock.millis());
        return delete.executeUpdate() > 0;
      }
    });
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    byte[] hash = hash(key);
    if (sql.incrementInOneStatement() != null) {
      return incrementInOneStatement(key, hash, delta, expiresAtIfCreated);
    }
    return inTransaction("increment", key, connection -> {
      long now = clock.millis();
      byte[] current = null;
      long expiresAt = 0;
      try (PreparedStatement select = connection.prepareStatement(sql.selectForUpdate())) {
        select.setBytes(1, hash);
        try (ResultSet row = select.executeQuery()) {
          if (row.next()) {
            current = row.getBytes(1);
            expiresAt = row.getLong(2);
          }
        }
      }
      if (current == null) {
        try (PreparedStatement insert = connection.prepareStatement(sql.insertIfAbsent())) {
          bindRow(insert, hash, key, CounterFormat.encode(delta), expiresAtIfCreated);
          if (insert.executeUpdate() == 0) {
            // A concurrent first increment inserted the row since our select: start over and
            // lock it. (Where the insert fails on the key instead, execute retries the same way.)
            throw new SQLTransactionRollbackException("key inserted concurrently", "40001");
          }
        }
        return delta;
      }
      boolean live = expiresAt > now;
      long next =
          live ? Math.addExact(CounterFormat.decode(abbreviate(key), current), delta) : delta;
      try (PreparedStatement update = connection.prepareStatement(sql.updateValueAndExpiry())) {
        update.setBytes(1, CounterFormat.encode(next));
        update.setLong(2, live ? expiresAt : expiresAtIfCreated);
        update.setBytes(3, hash);
        update.executeUpdate();
      }
      return next;
    });
  }

  private long incrementInOneStatement(
      String key, byte[] hash, long delta, long expiresAtIfCreated) {
    byte[] counted = execute("increment", key, connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(sql.incrementInOneStatement())) {
        long now = clock.millis();
        bindRow(upsert, hash, key, CounterFormat.encode(delta), expiresAtIfCreated);
        upsert.setLong(5, now);
        upsert.setLong(6, delta);
        upsert.setLong(7, now);
        try (ResultSet row = upsert.executeQuery()) {
          row.next();
          return row.getBytes(1);
        }
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("22")) {
          throw new IllegalStateException(
              "key '" + abbreviate(key) + "' holds bytes that are not a counter, or adding "
                  + delta + " overflows it; delete it before incrementing", e);
        }
        throw e;
      }
    });
    return CounterFormat.decode(abbreviate(key), counted);
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    byte[] hash = hash(key);
    return execute("touch", key, connection -> {
      try (PreparedStatement touch = connection.prepareStatement(sql.touch())) {
        touch.setLong(1, expiresAt);
        touch.setBytes(2, hash);
        touch.setLong(3, clock.millis());
        return touch.executeUpdate() > 0;
      }
    });
  }

  @Override
  public long expiresAt(String key) {
    byte[] hash = hash(key);
    return execute("expiresAt", key, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.selectExpiry())) {
        select.setBytes(1, hash);
        select.setLong(2, clock.millis());
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? row.getLong(1) : ABSENT;
        }
      }
    });
  }

  @Override
  public Map<String, Object> getAll(Collection<String> keys) {
    Map<ByteBuffer, String> byHash = new LinkedHashMap<>();
    for (String key : keys) {
      byHash.put(ByteBuffer.wrap(hash(key)), key);
    }
    Map<String, Object> found = new HashMap<>();
    for (List<ByteBuffer> chunk : chunks(new ArrayList<>(byHash.keySet()))) {
      execute("getAll", null, connection -> {
        try (PreparedStatement select =
            connection.prepareStatement(sql.selectValues(chunk.size()))) {
          select.setLong(1, clock.millis());
          for (int i = 0; i < chunk.size(); i++) {
            select.setBytes(i + 2, chunk.get(i).array());
          }
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              found.put(byHash.get(ByteBuffer.wrap(rows.getBytes(1))), rows.getBytes(2));
            }
          }
        }
        return null;
      });
    }
    return found;
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    List<Row> rows = new ArrayList<>(entries.size());
    entries.forEach((key, value) -> rows.add(new Row(hash(key), key, bytes(key, value))));
    // One lock order for every writer, so two batches over the same keys cannot deadlock.
    rows.sort(Comparator.comparing(row -> row.hash, Arrays::compareUnsigned));
    for (List<Row> chunk : chunks(rows)) {
      inTransaction("putAll", null, connection -> {
        try (PreparedStatement upsert = connection.prepareStatement(sql.upsert())) {
          for (Row row : chunk) {
            bindRow(upsert, row.hash, row.key, row.value, expiresAt);
            upsert.addBatch();
          }
          upsert.executeBatch();
        }
        return null;
      });
    }
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    List<byte[]> hashes = new ArrayList<>();
    for (String key : keys) {
      hashes.add(hash(key));
    }
    return deleteLive(hashes);
  }

  private long deleteLive(List<byte[]> hashes) {
    long removed = 0;
    for (List<byte[]> chunk : chunks(hashes)) {
      removed += execute("deleteAll", null, connection -> {
        try (PreparedStatement delete = connection.prepareStatement(sql.deleteLive(chunk.size()))) {
          delete.setLong(1, clock.millis());
          for (int i = 0; i < chunk.size(); i++) {
            delete.setBytes(i + 2, chunk.get(i));
          }
          return delete.executeUpdate();
        }
      });
    }
    return removed;
  }

  /**
   * Streams matching live keys a page at a time, in key-hash order, without holding a connection
   * between pages. LIKE narrows the scan; {@link Glob#matches} decides, since LIKE widens
   * character classes to one character and may ignore case (SQLite).
   */
  @Override
  public Stream<String> keys(Glob glob) {
    return scan(glob).map(KeyRow::key);
  }

  @Override
  public long deleteMatching(Glob glob) {
    long removed = 0;
    List<byte[]> batch = new ArrayList<>();
    try (Stream<KeyRow> rows = scan(glob)) {
      for (KeyRow row : (Iterable<KeyRow>) rows::iterator) {
        batch.add(row.hash);
        if (batch.size() == IN_LIST_SIZE) {
          removed += deleteLive(batch);
          batch.clear();
        }
      }
    }
    return removed + deleteLive(batch);
  }

  private Stream<KeyRow> scan(Glob glob) {
    String like = glob.toSqlLike();
    long now = clock.millis();
    Spliterator<KeyRow> pages = new Spliterators.AbstractSpliterator<>(
        Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT) {
      private final ArrayDeque<KeyRow> page = new ArrayDeque<>();
      private byte[] after;
      private boolean exhausted;

      @Override
      public boolean tryAdvance(Consumer<? super KeyRow> action) {
        while (page.isEmpty() && !exhausted) {
          fetch();
        }
        KeyRow row = page.poll();
        if (row == null) {
          return false;
        }
        action.accept(row);
        return true;
      }

      private void fetch() {
        List<KeyRow> rows = execute("keys", null, connection -> {
          try (PreparedStatement select =
              connection.prepareStatement(sql.scanPage(after != null))) {
            int i = 1;
            select.setString(i++, like);
            select.setLong(i++, now);
            if (after != null) {
              select.setBytes(i++, after);
            }
            select.setInt(i, SCAN_PAGE_SIZE);
            List<KeyRow> fetched = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
              while (result.next()) {
                fetched.add(new KeyRow(result.getBytes(1), result.getString(2)));
              }
            }
            return fetched;
          }
        });
        exhausted = rows.size() < SCAN_PAGE_SIZE;
        if (!rows.isEmpty()) {
          after = rows.get(rows.size() - 1).hash;
        }
        for (KeyRow row : rows) {
          if (glob.matches(row.key)) {
            page.add(row);
          }
        }
      }
    };
    return StreamSupport.stream(pages, false);
  }

  @Override
  public void clear() {
    execute("clear", null, connection -> {
      try (Statement statement = connection.createStatement()) {
        return statement.executeUpdate(sql.deleteAll());
      }
    });
  }

  /**
   * Deletes the rows that expired by {@link #clock()}, in batches; the periodic purge calls this.
   * When another node holds the rows (a lock conflict), this run stops early and leaves them to it.
   *
   * @return how many rows were deleted
   */
  public long purgeExpired() {
    long total = 0;
    for (int batch = 0; batch < MAX_PURGE_BATCHES_PER_RUN; batch++) {
      int removed;
      try (Connection connection = dataSource.getConnection();
          PreparedStatement purge = connection.prepareStatement(sql.purgeBatch())) {
        purge.setLong(1, clock.millis());
        purge.setInt(2, purgeBatchSize);
        removed = purge.executeUpdate();
      } catch (SQLException e) {
        if (dialect.isTransientConflict(e)) {
          break;
        }
        throw failure("purge", null, e);
      }
      total += removed;
      expirations.add(removed);
      if (removed < purgeBatchSize) {
        break;
      }
    }
    return total;
  }

  /** Counts rows the purge deleted as expirations; the size is not counted (too costly). */
  @Override
  public StoreStatistics statistics() {
    return new StoreStatistics(0, expirations.sum(), 0, -1);
  }

  /**
   * The live rows of the table, counted by the database ({@code SELECT count(*)} over the index on
   * {@code expires_at}: a walk of that index, which a {@link dev.hoard.cache.Cache} does at most
   * every two seconds).
   */
  @Override
  public StoreReport report() {
    long live = execute("count the live rows of", sql.table(), connection -> {
      try (PreparedStatement count = connection.prepareStatement(sql.countLive())) {
        count.setLong(1, clock.millis());
        try (ResultSet row = count.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    });
    return new StoreReport(live, List.of());
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

  private record Row(byte[] hash, String key, byte[] value) {}

  private record KeyRow(byte[] hash, String key) {}

  private <T> T execute(String operation, String key, Database.Work<T> work) {
    try {
      return database.execute(work);
    } catch (SQLException e) {
      throw failure(operation, key, e);
    }
  }

  private <T> T inTransaction(String operation, String key, Database.Work<T> work) {
    try {
      return database.inTransaction(work);
    } catch (SQLException e) {
      throw failure(operation, key, e);
    }
  }

  private CacheException failure(String operation, String key, SQLException e) {
    String subject = key == null ? "" : " of key '" + abbreviate(key) + "'";
    return new CacheException(
        description + ": " + operation + subject + " failed: " + e.getMessage(), e);
  }

  private byte[] hash(String key) {
    Objects.requireNonNull(key, "key");
    dialect.checkKey(key);
    return KeyHash.of(key);
  }

  private static void bindRow(PreparedStatement statement, byte[] hash, String key, byte[] value,
      long expiresAt) throws SQLException {
    statement.setBytes(1, hash);
    statement.setString(2, key);
    statement.setBytes(3, value);
    statement.setLong(4, expiresAt);
  }

  private static byte[] bytes(String key, Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalArgumentException(
        "the jdbc store keeps bytes, but the value for key '" + abbreviate(key) + "' is a "
            + (value == null ? "null" : value.getClass().getName()) + "; encode it with a codec");
  }

  private static String abbreviate(String key) {
    return key.length() <= 200 ? key : key.substring(0, 200) + "…(" + key.length() + " chars)";
  }

  private static <T> List<List<T>> chunks(List<T> items) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += IN_LIST_SIZE) {
      chunks.add(items.subList(from, Math.min(items.size(), from + IN_LIST_SIZE)));
    }
    return chunks;
  }
}
