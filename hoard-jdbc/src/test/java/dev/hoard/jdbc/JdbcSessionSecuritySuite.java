package dev.hoard.jdbc;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.spi.SessionStoreProvider;
import dev.hoard.session.testing.SessionSecurityContract;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixation and encryption guarantees on the SQL session store, its rows read with plain SQL.
 * Each dialect's class uses its own tables, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcSessionSecuritySuite extends SessionSecurityContract {

  private final String table = TestDatabases.uniqueTable("hoard_sec_"
      + getClass().getSimpleName().replaceAll("SessionSecurity(Test|IT)$", "").toLowerCase(Locale.ROOT));

  /** The URL the driver takes, without store parameters. */
  protected abstract String driverUrl();

  @Override
  protected SessionStore openStore(ManualClock clock) {
    StoreUrl url = StoreUrl.parse(TestDatabases.withParameters(driverUrl(), "table=" + table));
    SessionStoreProvider provider = ServiceLoader.load(SessionStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(candidate -> candidate.schemes().contains("jdbc"))
        .findFirst().orElseThrow();
    SessionBackend backend = provider.open(url, clock);
    url.rejectUnknownParameters();
    return (SessionStore) backend;
  }

  @Override
  protected List<byte[]> storedBytes(SessionStore store, String key) {
    List<byte[]> bytes = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(driverUrl())) {
      for (String sql : List.of(
          "SELECT * FROM " + table + " WHERE session_key = ?",
          "SELECT * FROM " + table + "_attributes WHERE session_key = ?")) {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
          select.setString(1, key);
          try (ResultSet rows = select.executeQuery()) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
              for (int column = 1; column <= columns; column++) {
                Object value = rows.getObject(column);
                if (value instanceof byte[] raw) {
                  bytes.add(raw);
                } else if (value != null) {
                  bytes.add(value.toString().getBytes(StandardCharsets.UTF_8));
                }
              }
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading session " + key + " from " + table, e);
    }
    return bytes;
  }

  @AfterAll
  void dropTables() {
    TestDatabases.drop(driverUrl(), table + "_attributes");
    TestDatabases.drop(driverUrl(), table);
  }
}
