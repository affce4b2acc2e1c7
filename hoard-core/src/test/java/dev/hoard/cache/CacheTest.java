package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.file.FileCacheStore;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Cache API on every store hoard-core ships, by reference and by value. */
class CacheTest {

  record User(long id, String name, List<String> roles) {}

  private static final Duration HOUR = Duration.ofHours(1);

  private ManualClock clock;
  private Cache cache;

  static Stream<Function<ManualClock, CacheStore>> stores() {
    return Stream.of(
        clock -> MemoryCacheStore.builder().clock(clock).build(),
        clock -> MemoryCacheStore.builder().clock(clock).copyValues().build(),
        clock -> FileCacheStore.builder().directory(temporaryDirectory()).clock(clock).build());
  }

  private static java.nio.file.Path temporaryDirectory() {
    try {
      java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("hoard-cache-test");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Cache open(Function<ManualClock, CacheStore> store) {
    clock = new ManualClock();
    cache = Cache.builder(store.apply(clock)).name("test").defaultTtl(Duration.ofMinutes(10)).build();
    return cache;
  }

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void typedValuesRoundTrip(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    User ada = new User(1, "Ada", List.of("admin"));
    cache.put("user:1", ada, HOUR);
    assertThat(cache.get("user:1", User.class)).isEqualTo(ada);
    assertThat(cache.get("user:1", new TypeRef<User>() {})).isEqualTo(ada);
    cache.put("users", List.of(ada), HOUR);
    assertThat(cache.get("users", new TypeRef<List<User>>() {})).containsExactly(ada);
    assertThat(cache.getOrDefault("nobody", User.class, ada)).isSameAs(ada);
    assertThat(cache.contains("user:1")).isTrue();
    assertThat(cache.contains("nobody")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void entriesExpireWhenTheClockPassesTheirTtl(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.put("short", "v", Duration.ofSeconds(30));
    cache.put("default", "v");
    cache.put("forever", "v", Cache.FOREVER);
    assertThat(cache.ttl("short")).contains(Duration.ofSeconds(30));
    assertThat(cache.ttl("forever")).contains(Cache.FOREVER);
    clock.advance(Duration.ofSeconds(31));
    assertThat(cache.get("short", String.class)).isNull();
    assertThat(cache.ttl("short")).isEmpty();
    assertThat(cache.get("default", String.class)).isEqualTo("v");
    clock.advance(Duration.ofMinutes(10));
    assertThat(cache.get("default", String.class)).isNull();
    assertThat(cache.get("forever", String.class)).isEqualTo("v");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void touchExtendsAndPutIfAbsentRespectsLiveEntries(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.put("k", "v", Duration.ofSeconds(10));
    assertThat(cache.touch("k", Duration.ofMinutes(5))).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.get("k", String.class)).isEqualTo("v");
    assertThat(cache.putIfAbsent("k", "other", HOUR)).isFalse();
    clock.advance(Duration.ofMinutes(5));
    assertThat(cache.putIfAbsent("k", "other", HOUR)).isTrue();
    assertThat(cache.get("k", String.class)).isEqualTo("other");
    assertThat(cache.touch("absent", HOUR)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void countersAreCreatedAtomicallyAndReadable(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    assertThat(cache.increment("visits")).isEqualTo(1);
    assertThat(cache.increment("visits", 10, HOUR)).isEqualTo(11);
    assertThat(cache.decrement("visits", 20, HOUR)).isEqualTo(-9);
    assertThat(cache.get("visits", Long.class)).isEqualTo(-9L);
    assertThat(cache.ttl("visits")).contains(Cache.FOREVER);

    cache.increment("per-minute", 1, Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(61));
    assertThat(cache.increment("per-minute", 1, Duration.ofMinutes(1))).isEqualTo(1);

    cache.put("name", "Ada", HOUR);
    assertThatThrownBy(() -> cache.increment("name"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("name");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void batchesReadWriteAndDeleteMany(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.putAll(Map.of("a", 1, "b", 2, "c", 3), HOUR);
    assertThat(cache.getAll(List.of("a", "b", "z"), Integer.class))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
    assertThat(cache.deleteAll(List.of("a", "b", "z"))).isEqualTo(2);
    assertThat(cache.get("c", Integer.class)).isEqualTo(3);
    assertThat(cache.delete("c")).isTrue();
    assertThat(cache.delete("c")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void keysAndDeleteMatchingSeeOnlyThisCachesKeys(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    Cache tenant = cache.scoped("tenant", "7");
    cache.put("user:1", "a", HOUR);
    cache.put("user:2", "b", HOUR);
    cache.put("post:1", "c", HOUR);
    tenant.put("user:1", "t", HOUR);
    try (Stream<String> keys = cache.keys("user:*")) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2");
    }
    try (Stream<String> keys = cache.keys("*")) {
      assertThat(keys).containsExactlyInAnyOrder("user:1", "user:2", "post:1");
    }
    try (Stream<String> keys = tenant.keys("*")) {
      assertThat(keys).containsExactly("user:1");
    }
    assertThat(cache.deleteMatching("*:1")).isEqualTo(2);
    assertThat(tenant.get("user:1", String.class)).isEqualTo("t");
    assertThat(cache.get("user:2", String.class)).isEqualTo("b");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void scopesNeverSeeEachOther(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    Cache a = cache.scoped("tenant", "a");
    Cache b = cache.scoped("tenant", "b");
    Cache tricky = cache.scoped("tenant", "a:user=1");
    Cache nested = a.scoped("user", "1");
    for (Cache view : List.of(cache, a, b, tricky, nested)) {
      view.put("k", view.toString() + System.identityHashCode(view), HOUR);
    }
    Set<String> values = Stream.of(cache, a, b, tricky, nested)
        .map(view -> view.get("k", String.class)).collect(Collectors.toSet());
    assertThat(values).hasSize(5);
    // A root key spelled like a scope's store key stays a root key.
    cache.put("\u001Ftenant=a:k", "spoof", HOUR);
    assertThat(a.get("k", String.class)).isNotEqualTo("spoof");
    assertThat(cache.get("\u001Ftenant=a:k", String.class)).isEqualTo("spoof");

    b.clear();
    assertThat(b.get("k", String.class)).isNull();
    assertThat(a.get("k", String.class)).isNotNull();
    assertThat(cache.get("k", String.class)).isNotNull();
    a.clear();
    assertThat(nested.get("k", String.class)).isNull();
    assertThat(tricky.get("k", String.class)).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void invalidatingATagMissesEveryEntryWrittenUnderIt(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    Cache users = cache.tagged("users");
    Cache usersAndPosts = cache.tagged("posts", "users");
    Cache posts = cache.tagged("posts");
    users.put("u1", "Ada", HOUR);
    usersAndPosts.put("feed", "both", HOUR);
    posts.put("p1", "Hello", HOUR);
    assertThat(cache.tagged("users", "posts").get("feed", String.class)).isEqualTo("both");

    cache.invalidateTags("users");
    assertThat(users.get("u1", String.class)).isNull();
    assertThat(usersAndPosts.get("feed", String.class)).isNull();
    assertThat(posts.get("p1", String.class)).isEqualTo("Hello");

    users.put("u1", "Grace", HOUR);
    assertThat(users.get("u1", String.class)).isEqualTo("Grace");
    assertThat(users.putIfAbsent("feed", "x", HOUR)).isTrue();
    posts.clear();
    assertThat(posts.get("p1", String.class)).isNull();
    assertThat(users.get("u1", String.class)).isEqualTo("Grace");
    assertThat(users.remember("r", String.class, HOUR, () -> "loaded")).isEqualTo("loaded");
    assertThat(users.getAll(List.of("u1", "r"), String.class)).hasSize(2);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void tagsInOneScopeDoNotInvalidateAnother(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    Cache one = cache.scoped("tenant", "1").tagged("users");
    Cache two = cache.scoped("tenant", "2").tagged("users");
    one.put("u", "1", HOUR);
    two.put("u", "2", HOUR);
    cache.scoped("tenant", "1").invalidateTags("users");
    assertThat(one.get("u", String.class)).isNull();
    assertThat(two.get("u", String.class)).isEqualTo("2");
  }

  @ParameterizedTest
  @MethodSource("stores")
  void clearEmptiesTheCache(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.put("a", 1, HOUR);
    cache.scoped("s", "1").put("b", 2, HOUR);
    cache.clear();
    assertThat(cache.get("a", Integer.class)).isNull();
    assertThat(cache.scoped("s", "1").get("b", Integer.class)).isNull();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void statsCountHitsMissesPutsAndLoads(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.put("a", "x", HOUR);
    cache.get("a", String.class);
    cache.get("b", String.class);
    cache.scoped("s", "1").get("a", String.class);
    cache.remember("c", String.class, HOUR, () -> "loaded");
    assertThatThrownBy(() -> cache.remember("d", String.class, HOUR, () -> {
      throw new IllegalStateException("boom");
    })).hasMessage("boom");
    CacheStats stats = cache.stats();
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(4);
    assertThat(stats.puts()).isEqualTo(2);
    assertThat(stats.loadSuccesses()).isEqualTo(1);
    assertThat(stats.loadFailures()).isEqualTo(1);
    assertThat(stats.size()).as("size, or -1 when the store cannot tell").isIn(2L, -1L);
    assertThat(stats.hitRate()).isEqualTo(0.2);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aValueOfTheWrongTypeIsAMissAndAnError(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    cache.put("k", new User(1, "Ada", List.of()), HOUR);
    assertThat(cache.get("k", Integer.class)).isNull();
    assertThat(cache.stats().errors()).isEqualTo(1);
    assertThat(cache.stats().misses()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void badInputIsRefusedWithAClearMessage(Function<ManualClock, CacheStore> store) {
    Cache cache = open(store);
    assertThatThrownBy(() -> cache.get(null, String.class))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> cache.put("k", null, HOUR))
        .isInstanceOf(NullPointerException.class).hasMessage("value");
    assertThatThrownBy(() -> cache.put("", "v", HOUR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> cache.put("x".repeat(Cache.MAX_KEY_LENGTH + 1), "v", HOUR))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4096");
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> cache.keys("[unclosed"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[unclosed");
    assertThatThrownBy(() -> cache.scoped("", "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.tagged())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache.tagged("t").increment("n"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void asyncCallsMirrorTheSynchronousOnes(Function<ManualClock, CacheStore> store) throws Exception {
    Cache cache = open(store);
    AsyncCache async = cache.async();
    async.put("k", "v", HOUR).get();
    assertThat(async.get("k", String.class).get()).isEqualTo("v");
    assertThat(async.increment("n", 2, HOUR).get()).isEqualTo(2);
    assertThat(async.remember("r", String.class, HOUR, () -> "loaded").get()).isEqualTo("loaded");
    assertThat(async.keys("*").get()).containsExactlyInAnyOrder("k", "n", "r");
    assertThat(async.delete("k").get()).isTrue();
    assertThat(async.synchronous().get("k", String.class)).isNull();
    assertThatThrownBy(() -> async.get("", String.class)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void ttlJitterSpreadsExpiriesWithinTheFraction() {
    clock = new ManualClock();
    cache = Cache.builder(MemoryCacheStore.builder().clock(clock).build()).ttlJitter(0.2).build();
    Set<Duration> ttls = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, i, Duration.ofSeconds(100));
      Duration ttl = cache.ttl("k" + i).orElseThrow();
      assertThat(ttl).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(100));
      ttls.add(ttl);
    }
    assertThat(ttls).hasSizeGreaterThan(10);
    assertThatThrownBy(() -> Cache.builder(MemoryCacheStore.builder().build()).ttlJitter(0.9))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttlJitter");
  }

  @org.junit.jupiter.api.Test
  void utf8AndBytesCodecsStoreExactly() {
    clock = new ManualClock();
    cache = Cache.builder(MemoryCacheStore.builder().clock(clock).copyValues().build())
        .codec(dev.hoard.codec.Codecs.utf8()).build();
    cache.put("t", "héllo", HOUR);
    assertThat(cache.get("t", String.class)).isEqualTo("héllo");
    cache.close();
    cache = Cache.builder(MemoryCacheStore.builder().clock(clock).copyValues().build())
        .codec(dev.hoard.codec.Codecs.bytes()).build();
    byte[] raw = "raw".getBytes(StandardCharsets.UTF_8);
    cache.put("b", raw, HOUR);
    assertThat(cache.get("b", byte[].class)).isEqualTo(raw);
    Cache tagged = cache.tagged("t");
    tagged.put("b", raw, HOUR);
    assertThat(tagged.get("b", byte[].class)).isEqualTo(raw);
    cache.invalidateTags("t");
    assertThat(tagged.get("b", byte[].class)).isNull();
  }

  @org.junit.jupiter.api.Test
  void closingAViewLeavesTheSharedStoreOpenAndClosingTheCacheClosesIt() {
    clock = new ManualClock();
    FileCacheStore store = FileCacheStore.builder().directory(temporaryDirectory()).clock(clock)
        .build();
    cache = Cache.builder(store).build();
    Cache tenant = cache.scoped("tenant", "42");
    Cache tagged = cache.tagged("t");
    Cache tenantTagged = tenant.tagged("t");
    cache.put("k", "root", HOUR);
    tenant.put("k", "tenant", HOUR);
    tagged.put("k", "tagged", HOUR);

    tenant.close();
    tagged.close();
    tenantTagged.close();

    assertThat(store.get("k")).isNotNull();
    assertThat(cache.get("k", String.class)).isEqualTo("root");
    assertThat(tenant.get("k", String.class)).isEqualTo("tenant");
    assertThat(tagged.get("k", String.class)).isEqualTo("tagged");
    cache.close();
    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
