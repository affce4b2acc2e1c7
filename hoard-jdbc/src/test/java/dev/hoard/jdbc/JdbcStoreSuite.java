package dev.hoard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.cache.testing.RestartCheck;
import dev.hoard.metrics.CacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract plus what only a SQL store must prove, run unchanged on every dialect. Each
 * dialect's class uses its own table, dropped afterwards, so suites can run side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreSuite extends CacheStoreContract {

  protected final String table = TestDatabases.uniqueTable("hoard_t_"
      + getClass().getSimpleName().replaceAll("CacheStore(Test|IT)$", "").toLowerCase(Locale.ROOT));

  /** The URL the driver takes, without store parameters. */
  protected abstract String driverUrl();

  /**
   * Driver parameters that stop each commit from waiting for the disk, for the test that runs
   * 16,000 increments of one row: those serialise on the row lock, so every commit's flush adds up
   * (about 4 ms each on this machine's disk). Locking, and so atomicity, is the same either way.
   */
  protected String unsyncedCommitParameters() {
    return "";
  }

  /** The store URL on this suite's table with the given extra store parameters. */
  protected String storeUrl(String parameters) {
    return TestDatabases.withParameters(driverUrl(), "table=" + table + "&" + parameters);
  }

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(storeUrl("purgeInterval=off&poolSize=8"), clock);
  }

  private JdbcCacheStore openJdbcStore(int purgeBatchSize) {
    return JdbcCacheStore.builder(driverUrl()).table(table).clock(clock)
        .purgeInterval(Duration.ZERO).purgeBatchSize(purgeBatchSize).build();
  }

  private long rows() {
    return TestDatabases.count(driverUrl(), "SELECT COUNT(*) FROM " + table);
  }

  @AfterAll
  void dropTable() {
    TestDatabases.drop(driverUrl(), table);
  }

  @Test
  public void theReportCountsLiveRowsAndTheCacheSizeComesFromIt() {
    store.clear();
    store.put("a", bytes("1"), CacheStore.NEVER);
    store.put("b", bytes("2"), clock.millis() + 1_000);
    store.put("c", bytes("3"), clock.millis() + 5_000);
    clock.advance(Duration.ofSeconds(2));

    assertThat(store.report().size()).as("b expired, not yet purged").isEqualTo(2);
    Cache cache = Cache.builder(store).name("sql").build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CacheMetrics.monitor(registry, cache);
    assertThat(cache.stats().size()).isEqualTo(2);
    assertThat(registry.get("cache.size").tag("cache", "sql").gauge().value()).isEqualTo(2);
  }

  @Test
  public void sixteenThreadsTimesAThousandIncrementsAddUpExactly() throws Exception {
    int threads = 16;
    int each = 1_000;
    List<Long> results;
    String parameters = "purgeInterval=off&poolSize=16" + unsyncedCommitParameters();
    try (CacheStore counting = Caches.openStore(storeUrl(parameters), clock)) {
      results = runConcurrently(threads, () -> {
        long last = 0;
        for (int i = 0; i < each; i++) {
          last = counting.increment("hits", 1, CacheStore.NEVER);
        }
        return last;
      });
    }
    assertThat(store.increment("hits", 0, CacheStore.NEVER)).isEqualTo((long) threads * each);
    assertThat(results).contains((long) threads * each).doesNotHaveDuplicates();
    assertThat(text(store.get("hits"))).isEqualTo(Long.toString(threads * each));
  }

  @Test
  public void concurrentPutIfAbsentOnAnExpiredEntryHasExactlyOneWinner() throws Exception {
    for (int round = 0; round < 5; round++) {
      String key = "lock:" + round;
      store.put(key, bytes("stale"), clock.millis() + 1_000);
      clock.advance(Duration.ofSeconds(2));
      List<Long> won = runConcurrently(8, () -> {
        String me = Thread.currentThread().getName();
        return store.putIfAbsent(key, bytes(me), CacheStore.NEVER) ? 1L : 0L;
      });
      assertThat(won.stream().mapToLong(Long::longValue).sum()).as("round %d", round).isEqualTo(1);
      assertThat(text(store.get(key))).startsWith("pool-");
    }
  }

  @Test
  public void aCacheSurvivesAProcessRestart() {
    store.put("kept", bytes("value"), clock.millis() + Duration.ofHours(1).toMillis());
    store.increment("visits", 41, CacheStore.NEVER);
    store.close();
    store = openStore(clock);
    assertThat(text(store.get("kept"))).isEqualTo("value");
    assertThat(store.increment("visits", 1, CacheStore.NEVER)).isEqualTo(42);
    assertThat(store.expiresAt("kept")).isEqualTo(clock.millis() + Duration.ofHours(1).toMillis());
  }

  /** A driver URL another process may open while this one holds the suite's store open. */
  protected String driverUrlForAnotherProcess() {
    return driverUrl();
  }

  @Test
  public void aCacheSurvivesTheDeathOfTheProcessThatWroteIt(@TempDir Path scratch)
      throws Exception {
    String restartTable = TestDatabases.uniqueTable("hoard_t_restart");
    String url =
        TestDatabases.withParameters(driverUrlForAnotherProcess(), "table=" + restartTable);
    try {
      RestartCheck.survivesARestart(url, scratch);
    } finally {
      TestDatabases.drop(driverUrlForAnotherProcess(), restartTable);
    }
  }

  @Test
  public void purgeRemovesOnlyExpiredRowsInSmallBatches() {
    Map<String, byte[]> shortLived = new HashMap<>();
    for (int i = 0; i < 250; i++) {
      shortLived.put("short:" + i, bytes("v"));
    }
    store.putAll(shortLived, clock.millis() + 1_000);
    store.put("long", bytes("v"), clock.millis() + Duration.ofHours(1).toMillis());
    store.put("never", bytes("v"), CacheStore.NEVER);
    store.increment("counter", 1, clock.millis() + Duration.ofHours(1).toMillis());
    try (JdbcCacheStore purging = openJdbcStore(100)) {
      assertThat(purging.purgeExpired()).isZero();
      clock.advance(Duration.ofSeconds(2));
      assertThat(rows()).isEqualTo(253);
      assertThat(purging.purgeExpired()).isEqualTo(250);
      assertThat(purging.statistics().expirations()).isEqualTo(250);
      assertThat(purging.purgeExpired()).isZero();
    }
    assertThat(rows()).isEqualTo(3);
    assertThat(store.get("long")).isNotNull();
    assertThat(store.get("never")).isNotNull();
    assertThat(store.increment("counter", 1, CacheStore.NEVER)).isEqualTo(2);
  }

  @Test
  public void thePeriodicPurgeRunsOnItsOwn() {
    store.put("gone", bytes("v"), clock.millis() + 1_000);
    store.put("kept", bytes("v"), CacheStore.NEVER);
    clock.advance(Duration.ofSeconds(2));
    try (CacheStore purging = Caches.openStore(storeUrl("purgeInterval=50ms"), clock)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> rows() == 1);
      assertThat(purging.get("kept")).isNotNull();
    }
  }

  @Test
  public void aKeyThatLooksLikeSqlIsJustAKey() {
    String[] keys = {"'; DROP TABLE " + table + "; --", "x' OR '1'='1", "back\\slash%_", "\"q\""};
    for (String key : keys) {
      store.put(key, bytes(key), CacheStore.NEVER);
    }
    for (String key : keys) {
      assertThat(text(store.get(key))).isEqualTo(key);
      try (Stream<String> found = store.keys(Glob.of(Glob.escape(key)))) {
        assertThat(found).containsExactly(key);
      }
    }
    assertThat(store.get("x")).isNull();
    assertThat(rows()).isEqualTo(keys.length);
    assertThat(store.deleteMatching(Glob.of("*DROP TABLE*"))).isEqualTo(1);
  }

  @Test
  public void globsMatchExactlyEvenWhereLikeIsLooser() {
    for (String key : List.of("user:1", "user:2", "user:3", "User:1", "user:12", "USER:2")) {
      store.put(key, bytes("v"), CacheStore.NEVER);
    }
    try (Stream<String> keys = store.keys(Glob.of("user:[12]"))) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2");
    }
    try (Stream<String> keys = store.keys(Glob.of("user:*"))) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2", "user:3", "user:12");
    }
    try (Stream<String> keys = store.keys(Glob.of("[^u]ser:?"))) {
      assertThat(keys).containsExactlyInAnyOrder("User:1");
    }
  }

  @Test
  public void veryLongKeysGetTheirOwnRows() {
    String base = "k".repeat(100_000);
    store.put(base + "a", bytes("a"), CacheStore.NEVER);
    store.put(base + "b", bytes("b"), CacheStore.NEVER);
    assertThat(text(store.get(base + "a"))).isEqualTo("a");
    assertThat(text(store.get(base + "b"))).isEqualTo("b");
    try (Stream<String> keys = store.keys(Glob.of("kkk*b"))) {
      assertThat(keys.collect(Collectors.toList())).containsExactly(base + "b");
    }
  }

  @Test
  public void nonCounterValuesAreRefusedByName() {
    store.put("greeting", bytes("hello"), CacheStore.NEVER);
    assertThatThrownBy(() -> store.increment("greeting", 1, CacheStore.NEVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'greeting'");
    assertThat(text(store.get("greeting"))).isEqualTo("hello");
  }

  @Test
  public void withoutCreateTableAMissingTableIsNamed() {
    String missing = TestDatabases.uniqueTable("hoard_missing");
    String url =
        TestDatabases.withParameters(driverUrl(), "table=" + missing + "&createTable=false");
    assertThatThrownBy(() -> Caches.openStore(url, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + missing + "'")
        .hasMessageContaining("CREATE TABLE");
    try (CacheStore existing = Caches.openStore(storeUrl("createTable=false"), clock)) {
      existing.put("k", bytes("v"), CacheStore.NEVER);
      assertThat(text(store.get("k"))).isEqualTo("v");
    }
  }

  private static List<Long> runConcurrently(int threads, Callable<Long> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<Long> results = new ArrayList<>();
      for (Future<Long> future : futures) {
        results.add(future.get(120, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
