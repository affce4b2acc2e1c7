package dev.hoard.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link JdbcStoreProviderTest} on the real servers: PostgreSQL and MariaDB URLs. */
class JdbcStoreProviderIT {

  private final ManualClock clock = new ManualClock();

  @Test
  void mysqlUrlsWorkThroughTheMariaDbDriverWhenPermitted() {
    String url = TestDatabases.mariadb().replace("jdbc:mariadb:", "jdbc:mysql:");
    String table = TestDatabases.uniqueTable("hoard_mysql_scheme");
    try (CacheStore store = Caches.openStore(
        url + "&permitMysqlScheme=true&table=" + table + "&purgeInterval=off", clock)) {
      store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
      assertThat(store.get("k")).isEqualTo("v".getBytes(UTF_8));
      assertThat(store.description()).contains("MariaDB/MySQL");
    } finally {
      TestDatabases.drop(TestDatabases.mariadb(), table);
    }
  }

  @Test
  void otherParametersReachTheDriverUntouched() {
    String table = TestDatabases.uniqueTable("hoard_passthrough");
    String application = "hoard-" + table;
    String url = TestDatabases.postgres()
        + "&ApplicationName=" + application + "&table=" + table + "&poolSize=2";
    try (CacheStore store = Caches.openStore(url, clock)) {
      store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
      // The pool fills up to poolSize in the background.
      await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.count(
          TestDatabases.postgres(),
          "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + application + "'"),
          connections -> connections == 2);
      assertThat(store.description()).doesNotContain("ApplicationName").contains(table);
    } finally {
      TestDatabases.drop(TestDatabases.postgres(), table);
    }
  }

  @Test
  void passwordsNeverShowInTheDescription() {
    String table = TestDatabases.uniqueTable("hoard_secret");
    // Trust authentication ignores the password, so the store opens.
    String url = TestDatabases.postgres() + "&password=s3cret-pw&table=" + table;
    try (CacheStore store = Caches.openStore(url, clock)) {
      assertThat(store.description()).doesNotContain("s3cret-pw").contains("PostgreSQL");
    } finally {
      TestDatabases.drop(TestDatabases.postgres(), table);
    }
  }
}
