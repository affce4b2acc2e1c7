package dev.hoard.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.jdbc.session.JdbcSessionStore;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.spi.SessionStoreProvider;
import dev.hoard.session.testing.Concurrently;
import dev.hoard.session.testing.SessionStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The session store contract plus what only the SQL session store must prove, on every dialect.
 * Each dialect's class uses its own tables, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcSessionStoreSuite extends SessionStoreContract {

  protected final String table = TestDatabases.uniqueTable("hoard_s_"
      + getClass().getSimpleName().replaceAll("SessionStore(Test|IT)$", "").toLowerCase(Locale.ROOT));

  /** The URL the driver takes, without store parameters. */
  protected abstract String driverUrl();

  private String storeUrl(String parameters) {
    return TestDatabases.withParameters(driverUrl(), "table=" + table + "&" + parameters);
  }

  private static SessionStoreProvider jdbcProvider() {
    return ServiceLoader.load(SessionStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(provider -> provider.schemes().contains("jdbc"))
        .findFirst().orElseThrow();
  }

  /** Opens the store the way {@code Sessions.open} does: provider found by scheme, URL checked. */
  private SessionStore openByUrl(String url, ManualClock clock) {
    StoreUrl parsed = StoreUrl.parse(url);
    SessionBackend backend = jdbcProvider().open(parsed, clock);
    parsed.rejectUnknownParameters();
    return (SessionStore) backend;
  }

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return openByUrl(storeUrl("poolSize=8"), clock);
  }

  private long rows(String sql) {
    return TestDatabases.count(driverUrl(), sql);
  }

  @AfterAll
  void dropTables() {
    TestDatabases.drop(driverUrl(), table + "_attributes");
    TestDatabases.drop(driverUrl(), table);
  }

  private SessionRecord session(String user, Duration idle, Map<String, byte[]> attributes) {
    return sessionIn(store, now(), user, idle, attributes);
  }

  @Test
  public void aSessionSurvivesClosingAndReopeningTheStore() {
    String user = newUser();
    SessionRecord record = session(user, Duration.ofHours(1), Map.of("cart", bytes("[1,2]")));
    store.update(record.key(), new SessionDelta(Map.of("theme", bytes("dark")), Set.of(),
        now(), now().plus(Duration.ofHours(1)), null), now());
    store.close();

    store = openStore(clock);

    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded).isNotNull();
    assertThat(loaded.userId()).isEqualTo(user);
    assertThat(loaded.createdAt()).isEqualTo(record.createdAt());
    assertThat(new String(loaded.attributes().get("cart"), UTF_8)).isEqualTo("[1,2]");
    assertThat(new String(loaded.attributes().get("theme"), UTF_8)).isEqualTo("dark");
    assertThat(store.findByUser(user, now())).hasSize(1);
  }

  @Test
  public void attributesLiveInTheirOwnRowsAndADeltaWritesOnlyItsOwn() {
    SessionRecord record = session(null, Duration.ofHours(1),
        Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")));
    String attributes = table + "_attributes";
    assertThat(rows("SELECT COUNT(*) FROM " + attributes + " WHERE session_key = '"
        + record.key() + "'")).isEqualTo(3);

    store.update(record.key(), new SessionDelta(Map.of("d", bytes("4")), Set.of("a"),
        now(), now().plus(Duration.ofHours(1)), null), now());

    assertThat(rows("SELECT COUNT(*) FROM " + attributes + " WHERE session_key = '"
        + record.key() + "'")).isEqualTo(3);
    store.delete(record.key());
    assertThat(rows("SELECT COUNT(*) FROM " + attributes + " WHERE session_key = '"
        + record.key() + "'")).isZero();

    // A delta for the deleted session writes no attribute rows of its own either.
    assertThat(store.update(record.key(), new SessionDelta(Map.of("late", bytes("x")),
        Set.of("b"), now(), now().plus(Duration.ofHours(1)), "someone"), now())).isFalse();
    assertThat(rows("SELECT COUNT(*) FROM " + attributes + " WHERE session_key = '"
        + record.key() + "'")).isZero();
    assertThat(rows("SELECT COUNT(*) FROM " + table + " WHERE session_key = '"
        + record.key() + "'")).isZero();
  }

  /** A store on tables of its own, so counts are not disturbed by other tests' sessions. */
  private JdbcSessionStore ownTables(String own, int purgeBatchSize) {
    return JdbcSessionStore.builder(driverUrl()).table(own).clock(clock)
        .purgeBatchSize(purgeBatchSize).build();
  }

  private void dropOwn(String own) {
    TestDatabases.drop(driverUrl(), own + "_attributes");
    TestDatabases.drop(driverUrl(), own);
  }

  private static SessionRecord sessionIn(
      SessionStore target, Instant now, String user, Duration idle, Map<String, byte[]> attributes) {
    SessionRecord record = new SessionRecord(newKey(), now, now, now.plus(idle), user, attributes);
    target.create(record);
    return record;
  }

  @Test
  public void purgeDeletesExpiredSessionsAndTheirAttributesInSmallBatches() {
    String own = TestDatabases.uniqueTable("hoard_p");
    try (JdbcSessionStore purging = ownTables(own, 40)) {
      Instant start = now();
      for (int i = 0; i < 250; i++) {
        sessionIn(purging, start, i % 3 == 0 ? "purge-user" : null, Duration.ofMinutes(5),
            Map.of("a", bytes("x"), "b", bytes("y")));
      }
      SessionRecord live = sessionIn(
          purging, start, "purge-user", Duration.ofHours(2), Map.of("kept", bytes("v")));
      Instant later = after(Duration.ofMinutes(10));

      assertThat(purging.purgeExpired(start)).isZero();
      assertThat(purging.purgeExpired(later)).isEqualTo(250);
      assertThat(purging.purgeExpired(later)).isZero();

      assertThat(rows("SELECT COUNT(*) FROM " + own)).isEqualTo(1);
      assertThat(rows("SELECT COUNT(*) FROM " + own + "_attributes")).isEqualTo(1);
      assertThat(purging.load(live.key(), later).attributes()).containsKey("kept");
      assertThat(purging.findByUser("purge-user", later)).hasSize(1);
    } finally {
      dropOwn(own);
    }
  }

  @Test
  public void severalNodesPurgingAtOnceRemoveEverySessionOnce() throws Exception {
    String own = TestDatabases.uniqueTable("hoard_p");
    List<JdbcSessionStore> nodes =
        List.of(ownTables(own, 25), ownTables(own, 25), ownTables(own, 25));
    try {
      for (int i = 0; i < 300; i++) {
        sessionIn(nodes.get(0), now(), null, Duration.ofMinutes(5), Map.of("a", bytes("x")));
      }
      Instant later = after(Duration.ofMinutes(10));
      long[] removed = new long[nodes.size()];
      Concurrently.run(nodes.size(), i -> {
        // A node that met a lock conflict stops early; it purges the rest on its next run.
        for (int run = 0; run < 50 && rows("SELECT COUNT(*) FROM " + own) > 0; run++) {
          removed[i] += nodes.get(i).purgeExpired(later);
        }
        return true;
      });
      assertThat(removed[0] + removed[1] + removed[2]).isEqualTo(300);
      assertThat(rows("SELECT COUNT(*) FROM " + own)).isZero();
      assertThat(rows("SELECT COUNT(*) FROM " + own + "_attributes")).isZero();
    } finally {
      nodes.forEach(JdbcSessionStore::close);
      dropOwn(own);
    }
  }

  @Test
  public void theStoresOwnPurgeRunsWhenAsked() {
    String own = TestDatabases.uniqueTable("hoard_p");
    try (JdbcSessionStore writer = ownTables(own, 10)) {
      sessionIn(writer, now(), null, Duration.ofMinutes(5), Map.of());
      clock.advance(Duration.ofMinutes(10));
      String url = TestDatabases.withParameters(driverUrl(), "table=" + own + "&purgeInterval=50ms");
      try (SessionStore purging = openByUrl(url, clock)) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> rows("SELECT COUNT(*) FROM " + own) == 0);
        assertThat(purging.description()).contains(own);
      }
    } finally {
      dropOwn(own);
    }
  }

  @Test
  public void keysThatAreNotHashesAreRefusedByName() {
    assertThatThrownBy(() -> store.load("has space", now()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space'");
    assertThatThrownBy(() -> store.load("x".repeat(129), now()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128");
    assertThatThrownBy(
        () -> session(null, Duration.ofHours(1), Map.of("n".repeat(2000), bytes("v"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024");
  }

  @Test
  public void missingTablesAreNamedWithTheirDdlWhenCreateTableIsOff() {
    String missing = TestDatabases.uniqueTable("hoard_s_missing");
    assertThatThrownBy(() -> JdbcSessionStore.builder(driverUrl()).table(missing)
        .createTable(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + missing + "'")
        .hasMessageContaining("CREATE TABLE");
  }

  @Test
  public void tableNamesMustBePlainIdentifiers() {
    for (String bad : List.of("x;drop", "a-b", "1abc", "x".repeat(38))) {
      assertThatThrownBy(() -> JdbcSessionStore.builder(driverUrl()).table(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("table name '" + bad + "'");
    }
  }
}
