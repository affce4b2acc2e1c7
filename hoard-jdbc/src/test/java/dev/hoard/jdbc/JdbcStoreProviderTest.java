package dev.hoard.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Opening the store from URLs: parameters taken, parameters passed to the driver, bad input. On
 * H2 and SQLite; {@link JdbcStoreProviderIT} does the same on PostgreSQL and MariaDB.
 */
class JdbcStoreProviderTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void unknownDatabasesAreNamed() {
    assertThatThrownBy(() -> Caches.openStore("jdbc:oracle:thin:@db:1521/app", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:oracle:thin:@db:1521/app")
        .hasMessageContaining("jdbc:postgresql:");
  }

  @Test
  void tableNamesMustBePlainIdentifiers() {
    for (String bad : new String[] {"x;drop", "1abc", "a-b", "t%20x", "a.b", "x".repeat(49)}) {
      assertThatThrownBy(() -> Caches.openStore("jdbc:h2:mem:names?table=" + bad, clock))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("table name '" + bad.replace("%20", " ") + "'");
    }
  }

  @Test
  void badStoreParametersAreNamed() {
    assertThatThrownBy(() -> Caches.openStore("jdbc:h2:mem:p?purgeInterval=soon", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purgeInterval");
    assertThatThrownBy(() -> Caches.openStore("jdbc:h2:mem:p?poolSize=0", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> Caches.openStore("jdbc:h2:mem:p?createTable=maybe", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("createTable");
  }

  @Test
  void aUrlNoDriverAcceptsSaysWhichDriverToAdd() {
    // The MariaDB driver takes jdbc:mysql: only when told to (permitMysqlScheme).
    assertThatThrownBy(() -> Caches.openStore("jdbc:mysql://127.0.0.1:3306/hoard_test", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql-connector-j")
        .hasMessageContaining("permitMysqlScheme");
  }

  @Test
  void h2SettingsAreHandedOnAndCacheParametersAreNot() {
    // H2 refuses settings it does not know, so ttl and name reaching it would fail the open.
    String url = "jdbc:h2:mem:handed_on?DB_CLOSE_DELAY=-1&table=kept&ttl=10m&name=demo";
    try (Cache cache = Caches.open(url, clock)) {
      cache.put("k", "v", Duration.ofMinutes(5));
    }
    try (CacheStore reopened = Caches.openStore("jdbc:h2:mem:handed_on?table=kept", clock)) {
      assertThat(reopened.capabilities()).containsExactly(StoreCapability.KEY_SCAN);
      try (var keys = reopened.keys(dev.hoard.cache.spi.Glob.of("*"))) {
        assertThat(keys).hasSize(1);
      }
      reopened.clear();
    }
  }

  @Test
  void passwordsNeverShowInErrors() {
    assertThatThrownBy(() -> Caches.openStore(
        "jdbc:postgresql://127.0.0.1:1/none?user=u&password=s3cret-pw&table=t", clock))
        .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cret-pw"));
    assertThatThrownBy(() -> Caches.openStore(
        "jdbc:h2:mem:secret;PASSWORD=s3cret-pw?table=bad-name", clock))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw"));
  }

  @Test
  void inMemorySqliteKeepsItsOneDatabase() {
    try (CacheStore store = Caches.openStore("jdbc:sqlite::memory:?poolSize=4", clock)) {
      store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
      assertThat(store.increment("n", 3, CacheStore.NEVER)).isEqualTo(3);
      assertThat(store.get("k")).isEqualTo("v".getBytes(UTF_8));
      assertThat(store.capabilities()).doesNotContain(StoreCapability.PERSISTENT);
    }
  }

  @Test
  void anApplicationDataSourceIsUsedAndLeftOpen() throws Exception {
    org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:app_owned;DB_CLOSE_DELAY=-1");
    try (JdbcCacheStore store = JdbcCacheStore.builder(dataSource).clock(clock).build()) {
      store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
      assertThat(store.description()).contains("H2").contains("hoard_cache");
      assertThat(store.table()).isEqualTo(JdbcCacheStore.DEFAULT_TABLE);
    }
    try (var connection = dataSource.getConnection()) {
      assertThat(connection.isValid(1)).isTrue();
    }
  }
}
