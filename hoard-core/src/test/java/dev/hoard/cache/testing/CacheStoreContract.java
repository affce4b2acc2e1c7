package dev.hoard.cache.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CacheStore} must have. A backend's test extends this and says how to
 * open a fresh, empty store; the suite runs unchanged on memory, file, Redis, Memcached and SQL.
 *
 * <p>Stores whose server keeps time itself (Redis, Memcached, SQL with server-side expiry) override
 * {@link #serverKeepsTime()}; expiry tests then wait for real time to pass instead of advancing
 * the clock.
 */
public abstract class CacheStoreContract {

  protected ManualClock clock;
  protected CacheStore store;

  /** Opens a store on {@code clock} that holds nothing yet and shares nothing with other tests. */
  protected abstract CacheStore openStore(ManualClock clock);

  /** Whether expiry follows the server's own clock rather than the injected one. */
  protected boolean serverKeepsTime() {
    return false;
  }

  @BeforeEach
  public void openFreshStore() {
    clock = new ManualClock();
    store = openStore(clock);
    store.clear();
  }

  @AfterEach
  public void closeStore() {
    if (store != null) {
      store.clear();
      store.close();
    }
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected static String text(Object stored) {
    return new String((byte[]) stored, UTF_8);
  }

  private long in(Duration ttl) {
    return clock.millis() + ttl.toMillis();
  }

  /** Lets {@code ttl} pass: advances the injected clock, or waits for the server's clock. */
  protected void letPass(Duration ttl) {
    clock.advance(ttl.plusMillis(1));
    if (serverKeepsTime()) {
      long until = clock.millis();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> System.currentTimeMillis() > until + 50);
    }
  }

  private Duration shortTtl() {
    return serverKeepsTime() ? Duration.ofMillis(1500) : Duration.ofMinutes(5);
  }

  @Test
  public void missingKeyReadsAsNull() {
    assertThat(store.get("absent")).isNull();
    assertThat(store.expiresAt("absent")).isEqualTo(CacheStore.ABSENT);
  }

  private static <T> T done(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  public void asynchronousCallsAgreeWithTheSynchronousOnes() throws Exception {
    long inAnHour = in(Duration.ofHours(1));
    assertThat(done(store.putAsync("a", bytes("one"), inAnHour))).isNull();
    assertThat(text(store.get("a"))).isEqualTo("one");
    assertThat(text(done(store.getAsync("a")))).isEqualTo("one");
    assertThat(done(store.getAsync("absent"))).isNull();
    assertThat(done(store.putIfAbsentAsync("a", bytes("other"), inAnHour))).isFalse();
    assertThat(done(store.putIfAbsentAsync("b", bytes("two"), inAnHour))).isTrue();
    Map<String, Object> found = done(store.getAllAsync(List.of("a", "b", "absent")));
    assertThat(found.keySet()).containsExactlyInAnyOrder("a", "b");
    assertThat(text(found.get("b"))).isEqualTo("two");
    assertThat(done(store.incrementAsync("n", 5, inAnHour))).isEqualTo(5);
    assertThat(done(store.incrementAsync("n", 2, inAnHour))).isEqualTo(7);
    assertThat(store.increment("n", 0, inAnHour)).isEqualTo(7);
    assertThat(done(store.touchAsync("a", in(Duration.ofHours(2))))).isTrue();
    assertThat(done(store.touchAsync("absent", inAnHour))).isFalse();
    assertThat(done(store.expiresAtAsync("a"))).isEqualTo(store.expiresAt("a"));
    assertThat(done(store.expiresAtAsync("absent"))).isEqualTo(CacheStore.ABSENT);
    assertThat(done(store.deleteAsync("a"))).isTrue();
    assertThat(done(store.deleteAsync("a"))).isFalse();
    assertThat(done(store.deleteAllAsync(List.of("b", "n", "absent")))).isEqualTo(2);
    assertThat(store.get("b")).isNull();
    Map<String, Object> batch = new HashMap<>();
    batch.put("x", bytes("ex"));
    batch.put("y", bytes("why"));
    assertThat(done(store.putAllAsync(batch, inAnHour))).isNull();
    assertThat(text(store.get("y"))).isEqualTo("why");
  }

  @Test
  public void putThenGetReturnsTheBytes() {
    store.put("greeting", bytes("hello"), CacheStore.NEVER);
    assertThat(text(store.get("greeting"))).isEqualTo("hello");
  }

  @Test
  public void putReplacesThePreviousValue() {
    store.put("k", bytes("one"), CacheStore.NEVER);
    store.put("k", bytes("two"), CacheStore.NEVER);
    assertThat(text(store.get("k"))).isEqualTo("two");
  }

  @Test
  public void valuesAreBinarySafe() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    store.put("binary", all, CacheStore.NEVER);
    store.put("empty", new byte[0], CacheStore.NEVER);
    assertThat((byte[]) store.get("binary")).isEqualTo(all);
    assertThat((byte[]) store.get("empty")).isEmpty();
  }

  @Test
  public void oddAndLongKeysWork() {
    List<String> keys = List.of(
        "with space", "ünïcödé ключ 鍵", "tab\tand\nnewline", "colon:slash/star*", "x".repeat(1000));
    for (String key : keys) {
      store.put(key, bytes(key), CacheStore.NEVER);
    }
    for (String key : keys) {
      assertThat(text(store.get(key))).isEqualTo(key);
    }
  }

  @Test
  public void keysThatLookAlikeStayApart() {
    store.put("a", bytes("1"), CacheStore.NEVER);
    store.put("A", bytes("2"), CacheStore.NEVER);
    store.put("a ", bytes("3"), CacheStore.NEVER);
    assertThat(text(store.get("a"))).isEqualTo("1");
    assertThat(text(store.get("A"))).isEqualTo("2");
    assertThat(text(store.get("a "))).isEqualTo("3");
  }

  @Test
  public void putIfAbsentStoresOnlyWhenAbsent() {
    assertThat(store.putIfAbsent("k", bytes("first"), CacheStore.NEVER)).isTrue();
    assertThat(store.putIfAbsent("k", bytes("second"), CacheStore.NEVER)).isFalse();
    assertThat(text(store.get("k"))).isEqualTo("first");
  }

  @Test
  public void putIfAbsentSucceedsOnceTheEntryExpired() {
    store.put("k", bytes("old"), in(shortTtl()));
    letPass(shortTtl());
    assertThat(store.putIfAbsent("k", bytes("new"), CacheStore.NEVER)).isTrue();
    assertThat(text(store.get("k"))).isEqualTo("new");
  }

  @Test
  public void deleteRemovesAndReportsWhetherThereWasAnEntry() {
    store.put("k", bytes("v"), CacheStore.NEVER);
    assertThat(store.delete("k")).isTrue();
    assertThat(store.get("k")).isNull();
    assertThat(store.delete("k")).isFalse();
  }

  @Test
  public void expiredEntriesAreNeverReturned() {
    store.put("short", bytes("v"), in(shortTtl()));
    store.put("long", bytes("v"), in(Duration.ofHours(1)));
    store.put("never", bytes("v"), CacheStore.NEVER);
    assertThat(store.get("short")).isNotNull();
    letPass(shortTtl());
    assertThat(store.get("short")).isNull();
    assertThat(store.expiresAt("short")).isEqualTo(CacheStore.ABSENT);
    assertThat(store.get("long")).isNotNull();
    assertThat(store.get("never")).isNotNull();
    if (store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      try (Stream<String> keys = store.keys(Glob.of("*"))) {
        assertThat(keys).containsExactlyInAnyOrder("long", "never");
      }
    }
  }

  @Test
  public void expiresAtReportsTheExpiry() {
    long expiresAt = in(Duration.ofHours(1));
    store.put("timed", bytes("v"), expiresAt);
    store.put("never", bytes("v"), CacheStore.NEVER);
    assertThat(store.expiresAt("timed")).isBetween(expiresAt - 1000, expiresAt + 1000);
    assertThat(store.expiresAt("never")).isEqualTo(CacheStore.NEVER);
  }

  @Test
  public void touchSetsANewExpiryOnLiveEntriesOnly() {
    store.put("k", bytes("v"), in(shortTtl()));
    assertThat(store.touch("k", in(Duration.ofHours(2)))).isTrue();
    letPass(shortTtl());
    assertThat(text(store.get("k"))).isEqualTo("v");
    assertThat(store.touch("absent", in(Duration.ofHours(2)))).isFalse();
    assertThat(store.get("absent")).isNull();
  }

  @Test
  public void getAllReturnsOnlyPresentKeys() {
    store.put("a", bytes("1"), CacheStore.NEVER);
    store.put("b", bytes("2"), CacheStore.NEVER);
    Map<String, Object> found = store.getAll(List.of("a", "b", "c"));
    assertThat(found).containsOnlyKeys("a", "b");
    assertThat(text(found.get("b"))).isEqualTo("2");
  }

  @Test
  public void putAllAndDeleteAllWorkOnBatches() {
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      entries.put("batch:" + i, bytes("v" + i));
    }
    store.putAll(entries, in(Duration.ofHours(1)));
    assertThat(store.getAll(entries.keySet())).hasSize(100);
    assertThat(text(store.get("batch:42"))).isEqualTo("v42");
    List<String> half = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      half.add("batch:" + i);
    }
    assertThat(store.deleteAll(half)).isEqualTo(50);
    assertThat(store.getAll(entries.keySet())).hasSize(50);
  }

  @Test
  public void incrementCreatesTheCounterAtZeroWithTheGivenExpiry() {
    long expiresAt = in(Duration.ofHours(1));
    assertThat(store.increment("hits", 5, expiresAt)).isEqualTo(5);
    assertThat(store.increment("hits", -2, in(Duration.ofHours(9)))).isEqualTo(3);
    assertThat(store.expiresAt("hits")).isBetween(expiresAt - 1000, expiresAt + 1000);
  }

  @Test
  public void incrementOfAnExpiredCounterStartsAgain() {
    store.increment("c", 10, in(shortTtl()));
    letPass(shortTtl());
    assertThat(store.increment("c", 1, CacheStore.NEVER)).isEqualTo(1);
  }

  @Test
  public void incrementRefusesAValueThatIsNotACounter() {
    store.put("text", bytes("not a number"), CacheStore.NEVER);
    assertThatThrownBy(() -> store.increment("text", 1, CacheStore.NEVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("text");
  }

  @Test
  public void concurrentIncrementsLoseNothing() throws Exception {
    int threads = 8;
    int each = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            store.increment("shared", 1, CacheStore.NEVER);
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.increment("shared", 0, CacheStore.NEVER)).isEqualTo((long) threads * each);
  }

  @Test
  public void keysStreamsMatchingKeysOrSaysItCannot() {
    store.put("user:1", bytes("a"), CacheStore.NEVER);
    store.put("user:2", bytes("b"), CacheStore.NEVER);
    store.put("post:1", bytes("c"), CacheStore.NEVER);
    if (!store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      assertThatThrownBy(() -> store.keys(Glob.of("user:*")))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    try (Stream<String> keys = store.keys(Glob.of("user:*"))) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2");
    }
    try (Stream<String> keys = store.keys(Glob.of("*:1"))) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "post:1");
    }
  }

  @Test
  public void keysTreatsLikeAndRegexCharactersLiterally() {
    if (!store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      return;
    }
    store.put("50%_off", bytes("a"), CacheStore.NEVER);
    store.put("50xxoff", bytes("b"), CacheStore.NEVER);
    store.put("a.b", bytes("c"), CacheStore.NEVER);
    store.put("axb", bytes("d"), CacheStore.NEVER);
    try (Stream<String> keys = store.keys(Glob.of("50%_*"))) {
      assertThat(keys).containsExactly("50%_off");
    }
    try (Stream<String> keys = store.keys(Glob.of("a.b"))) {
      assertThat(keys).containsExactly("a.b");
    }
  }

  @Test
  public void keysScansManyEntries() {
    if (!store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      return;
    }
    Map<String, byte[]> entries = new HashMap<>();
    for (int i = 0; i < 2500; i++) {
      entries.put("many:" + i, bytes("v"));
    }
    store.putAll(entries, CacheStore.NEVER);
    try (Stream<String> keys = store.keys(Glob.of("many:*"))) {
      assertThat(keys.collect(Collectors.toSet())).isEqualTo(entries.keySet());
    }
  }

  @Test
  public void deleteMatchingRemovesOnlyMatches() {
    if (!store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      return;
    }
    store.put("session:1", bytes("a"), CacheStore.NEVER);
    store.put("session:2", bytes("b"), CacheStore.NEVER);
    store.put("user:1", bytes("c"), CacheStore.NEVER);
    assertThat(store.deleteMatching(Glob.of("session:*"))).isEqualTo(2);
    assertThat(store.get("session:1")).isNull();
    assertThat(store.get("user:1")).isNotNull();
  }

  @Test
  public void clearRemovesEverything() {
    String key = "k-" + UUID.randomUUID();
    store.put(key, bytes("v"), CacheStore.NEVER);
    store.increment("counter", 1, CacheStore.NEVER);
    store.clear();
    assertThat(store.get(key)).isNull();
    assertThat(store.get("counter")).isNull();
  }

  @Test
  public void aLockHasOneHolderUntilReleasedOrItsLeaseEnds() {
    byte[] mine = bytes("token-mine");
    byte[] theirs = bytes("token-theirs");
    Duration lease = Duration.ofMinutes(5);
    if (!store.capabilities().contains(StoreCapability.LOCKS)) {
      assertThatThrownBy(() -> store.tryLock("lock", mine, in(lease)))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    assertThat(store.tryLock("lock", mine, in(lease))).isTrue();
    assertThat(store.tryLock("lock", theirs, in(lease))).isFalse();
    assertThat(store.unlock("lock", theirs)).as("released with the wrong token").isFalse();
    assertThat(store.tryLock("lock", theirs, in(lease))).isFalse();
    assertThat(store.unlock("lock", mine)).isTrue();
    assertThat(store.unlock("lock", mine)).as("released twice").isFalse();

    assertThat(store.tryLock("lock", theirs, in(shortTtl()))).isTrue();
    letPass(shortTtl());
    assertThat(store.tryLock("lock", mine, in(lease))).as("taken after the lease ran out").isTrue();
    assertThat(store.unlock("lock", theirs)).as("the expired holder frees the new one").isFalse();
    assertThat(store.unlock("lock", mine)).isTrue();
  }

  @Test
  public void describesItselfWithoutSecrets() {
    assertThat(store.description()).isNotBlank().doesNotContain("password");
    assertThat(store.clock()).isSameAs(clock);
  }
}
