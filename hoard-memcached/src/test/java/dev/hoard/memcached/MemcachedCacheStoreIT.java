package dev.hoard.memcached;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Memcached-specific behaviour, against the real servers of {@code HOARD_MEMCACHED_SERVERS}. */
class MemcachedCacheStoreIT {

  private final ManualClock clock = new ManualClock();
  private final List<AutoCloseable> opened = new ArrayList<>();

  private <T extends AutoCloseable> T opened(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private MemcachedCacheStore store(String prefix) {
    MemcachedCacheStore.Builder builder = MemcachedCacheStore.builder().prefix(prefix).clock(clock);
    TestServers.addresses().forEach(builder::server);
    return opened(builder.build());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  @Test
  void longKeysAreHashedNotTruncated() {
    MemcachedCacheStore store = store(TestServers.prefix("long"));
    String common = "k".repeat(300);
    store.put(common + "a", bytes("a"), CacheStore.NEVER);
    store.put(common + "b", bytes("b"), CacheStore.NEVER);
    store.put("x".repeat(250), bytes("250"), CacheStore.NEVER);
    assertThat(new String((byte[]) store.get(common + "a"), UTF_8)).isEqualTo("a");
    assertThat(new String((byte[]) store.get(common + "b"), UTF_8)).isEqualTo("b");
    assertThat(new String((byte[]) store.get("x".repeat(250)), UTF_8)).isEqualTo("250");
    assertThat(store.increment(common + "counter", 3, CacheStore.NEVER)).isEqualTo(3);
    assertThat(store.touch(common + "a", clock.millis() + 60_000)).isTrue();
    assertThat(store.delete(common + "a")).isTrue();
    assertThat(store.get(common + "a")).isNull();
    assertThat(store.get(common + "b")).isNotNull();
  }

  @Test
  void keysWithSpacesControlCharactersAndHashMarksStayApart() {
    MemcachedCacheStore store = store(TestServers.prefix("odd"));
    List<String> keys = List.of("a b", "a\nb", "a\r\nb", "a\u0000b", "ab", "#ab", "##ab", " ab",
        "ab ", "naïve", "tab\there");
    for (String key : keys) {
      store.put(key, bytes("value of " + key), CacheStore.NEVER);
    }
    for (String key : keys) {
      assertThat(new String((byte[]) store.get(key), UTF_8)).isEqualTo("value of " + key);
    }
  }

  @Test
  void countersAreSignedAndGoBelowZero() {
    MemcachedCacheStore store = store(TestServers.prefix("signed"));
    assertThat(store.increment("c", -5, CacheStore.NEVER)).isEqualTo(-5);
    assertThat(store.increment("c", -3, CacheStore.NEVER)).isEqualTo(-8);
    assertThat(store.increment("c", 10, CacheStore.NEVER)).isEqualTo(2);
    assertThat(store.increment("c", -2, CacheStore.NEVER)).isEqualTo(0);
    assertThat(store.increment("c", -1, CacheStore.NEVER)).isEqualTo(-1);
    assertThat(new String((byte[]) store.get("c"), UTF_8)).isEqualTo("-1");
    store.put("n", bytes("41"), CacheStore.NEVER);
    assertThat(store.increment("n", 1, CacheStore.NEVER)).isEqualTo(42);
    store.put("max", bytes(Long.toString(Long.MAX_VALUE)), CacheStore.NEVER);
    assertThatThrownBy(() -> store.increment("max", 1, CacheStore.NEVER))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("max");
  }

  @Test
  void randomCounterWalksMatchArithmetic() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    MemcachedCacheStore store = store(TestServers.prefix("walk"));
    long expected = 0;
    for (int i = 0; i < 200; i++) {
      long delta = random.nextInt(2001) - 1000;
      expected += delta;
      assertThat(store.increment("walk", delta, CacheStore.NEVER))
          .as("seed %d, step %d", seed, i).isEqualTo(expected);
    }
  }

  @Test
  void expiryBeyondThirtyDaysUsesAbsoluteTimeAndIsReportedExactly() {
    MemcachedCacheStore store = store(TestServers.prefix("far"));
    long in40Days = clock.millis() + Duration.ofDays(40).toMillis() + 123;
    long in10Days = clock.millis() + Duration.ofDays(10).toMillis() + 7;
    store.put("far", bytes("v"), in40Days);
    store.put("near", bytes("v"), in10Days);
    assertThat(store.get("far")).isNotNull();
    assertThat(store.expiresAt("far")).isEqualTo(in40Days);
    assertThat(store.expiresAt("near")).isEqualTo(in10Days);
    assertThat(store.touch("near", in40Days)).isTrue();
    assertThat(store.expiresAt("near")).isEqualTo(in40Days);
  }

  @Test
  void entriesExpireByTheStoreClockEvenBeforeTheServerDropsThem() {
    MemcachedCacheStore store = store(TestServers.prefix("clock"));
    store.put("k", bytes("v"), clock.millis() + 60_000);
    store.increment("c", 5, clock.millis() + 60_000);
    clock.advance(Duration.ofSeconds(61));
    assertThat(store.get("k")).isNull();
    assertThat(store.expiresAt("k")).isEqualTo(CacheStore.ABSENT);
    assertThat(store.touch("k", CacheStore.NEVER)).isFalse();
    assertThat(store.increment("c", 1, CacheStore.NEVER)).isEqualTo(1);
    assertThat(store.putIfAbsent("k", bytes("new"), CacheStore.NEVER)).isTrue();
    assertThat(new String((byte[]) store.get("k"), UTF_8)).isEqualTo("new");
  }

  @Test
  void keyScansAreRefusedWithAReason() {
    MemcachedCacheStore store = store(TestServers.prefix("scan"));
    assertThat(store.capabilities()).containsExactly(StoreCapability.SHARED);
    assertThatThrownBy(() -> store.keys(Glob.of("user:*")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot list its keys");
    assertThatThrownBy(() -> store.deleteMatching(Glob.of("user:*")))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("cannot list its keys");
  }

  @Test
  void clearLeavesOtherPrefixesAlone() {
    MemcachedCacheStore first = store(TestServers.prefix("first"));
    MemcachedCacheStore second = store(TestServers.prefix("second"));
    for (int i = 0; i < 20; i++) {
      first.put("k" + i, bytes("first"), CacheStore.NEVER);
      second.put("k" + i, bytes("second"), CacheStore.NEVER);
    }
    first.increment("count", 1, CacheStore.NEVER);
    first.clear();
    for (int i = 0; i < 20; i++) {
      assertThat(first.get("k" + i)).isNull();
      assertThat(new String((byte[]) second.get("k" + i), UTF_8)).isEqualTo("second");
    }
    assertThat(first.increment("count", 1, CacheStore.NEVER)).isEqualTo(1);
    first.put("after", bytes("v"), CacheStore.NEVER);
    assertThat(first.get("after")).isNotNull();
  }

  @Test
  void anotherProcessSeesAClearOnItsNextCallWhenRefreshIsZero() {
    String prefix = TestServers.prefix("shared-now");
    MemcachedCacheStore writer = store(prefix);
    MemcachedCacheStore.Builder builder =
        MemcachedCacheStore.builder().prefix(prefix).clock(clock).namespaceRefresh(Duration.ZERO);
    TestServers.addresses().forEach(builder::server);
    MemcachedCacheStore reader = opened(builder.build());
    writer.put("k", bytes("v"), CacheStore.NEVER);
    assertThat(reader.get("k")).isNotNull();
    writer.clear();
    assertThat(reader.get("k")).isNull();
  }

  @Test
  void anotherProcessSeesAClearWithinTheRefreshInterval() {
    String prefix = TestServers.prefix("shared-later");
    MemcachedCacheStore writer = store(prefix);
    MemcachedCacheStore.Builder builder = MemcachedCacheStore.builder().prefix(prefix).clock(clock)
        .namespaceRefresh(Duration.ofMillis(200));
    TestServers.addresses().forEach(builder::server);
    MemcachedCacheStore reader = opened(builder.build());
    writer.put("k", bytes("v"), CacheStore.NEVER);
    assertThat(reader.get("k")).isNotNull();
    writer.clear();
    await().atMost(Duration.ofSeconds(10)).until(() -> reader.get("k") == null);
  }

  @Test
  void opensFromAUrlAndRejectsUnknownParameters() {
    String prefix = TestServers.prefix("url");
    CacheStore store = opened(Caches.openStore(
        TestServers.url(prefix) + "&timeout=500ms&connections=2&namespaceRefresh=0", clock));
    assertThat(store).isInstanceOf(MemcachedCacheStore.class);
    assertThat(store.description()).contains(prefix).contains("11211");
    store.put("k", bytes("v"), CacheStore.NEVER);
    assertThat(store.get("k")).isNotNull();
    assertThatThrownBy(() -> Caches.openStore(TestServers.url(prefix) + "&tiemout=1s", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tiemout");
    assertThatThrownBy(() -> Caches.openStore("memcached://?prefix=x", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servers");
    assertThatThrownBy(() -> Caches.openStore("memcached://127.0.0.1:99999", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999");
    assertThatThrownBy(() -> Caches.openStore(TestServers.url("with space"), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
  }

  @Test
  void cacheClearAndTagsWorkThroughTheUrl() {
    Cache cache = opened(Caches.open(TestServers.url(TestServers.prefix("cache")), Clock.systemUTC()));
    Cache users = cache.tagged("users");
    users.put("u1", "alice", Duration.ofMinutes(5));
    cache.put("plain", "value", Duration.ofMinutes(5));
    assertThat(users.get("u1", String.class)).isEqualTo("alice");
    cache.invalidateTags("users");
    assertThat(users.get("u1", String.class)).isNull();
    assertThat(cache.get("plain", String.class)).isEqualTo("value");
    assertThat(cache.increment("visits", 2, Duration.ofMinutes(5))).isEqualTo(2);
    assertThat(cache.ttl("plain")).hasValueSatisfying(ttl ->
        assertThat(ttl).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5)));
    cache.clear();
    assertThat(cache.get("plain", String.class)).isNull();
    assertThat(cache.increment("visits", 1, Duration.ofMinutes(5))).isEqualTo(1);
    // The fail-open wrapper passes the refusal on: an empty listing would be a lie.
    assertThatThrownBy(() -> cache.keys("*"))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("cannot list");
    assertThatThrownBy(() -> cache.deleteMatching("user:*"))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("cannot list");
  }

  @Test
  void longAndOddKeysWorkThroughTheCacheAndStayApartAcrossScopes() {
    Cache cache =
        opened(Caches.open(TestServers.url(TestServers.prefix("cache-keys")), Clock.systemUTC()));
    Map<String, Cache> views = Map.of("root", cache, "tenant", cache.scoped("tenant", "a b"));
    List<String> keys = List.of("k".repeat(Cache.MAX_KEY_LENGTH), "k".repeat(251),
        "with space", "line\nbreak", "naïve", "plain");
    views.forEach((name, view) -> keys.forEach(key ->
        view.put(key, name + ":" + key, Duration.ofMinutes(5))));
    views.forEach((name, view) -> {
      Cache counters = view.scoped("counters", "c");
      for (String key : keys) {
        assertThat(view.get(key, String.class)).as("%s %.20s", name, key)
            .isEqualTo(name + ":" + key);
        assertThat(counters.increment(key, 2, Duration.ofMinutes(5))).isEqualTo(2);
        assertThat(counters.increment(key, 3, Duration.ofMinutes(5))).isEqualTo(5);
      }
    });
    assertThat(cache.stats().errors()).isZero();
  }

  @Test
  void valuesOverTheItemLimitFailBeforeTheWrite() {
    MemcachedCacheStore.Builder builder = MemcachedCacheStore.builder()
        .prefix(TestServers.prefix("big")).maxValueSize(1000);
    TestServers.addresses().forEach(builder::server);
    MemcachedCacheStore store = opened(builder.build());
    assertThatThrownBy(() -> store.put("big", new byte[1000], CacheStore.NEVER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big")
        .hasMessageContaining("maxValueSize");
    MemcachedCacheStore defaults = store(TestServers.prefix("big-default"));
    assertThatThrownBy(() -> defaults.put("big", new byte[2 * 1024 * 1024], CacheStore.NEVER))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big");
  }
}
