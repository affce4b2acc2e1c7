package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Redis store does beyond the contract — which commands it sends, what it leaves alone,
 * how it fails — checked on a private redis-server so counting commands and pausing clients
 * disturbs no other suite.
 */
class RedisCacheStoreIT {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.server();

  private final ManualClock clock = new ManualClock();
  private CacheStore store;

  @BeforeEach
  void openStore() {
    redis.cli("flushall");
    store = Caches.openStore(url("app:"), clock);
    redis.cli("config", "resetstat");
    redis.cli("script", "flush");
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static String url(String prefix) {
    return "redis://127.0.0.1:" + redis.port() + "/0?prefix=" + prefix;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  /** How many times the server ran {@code command} since the last reset. */
  private static long calls(String command) {
    Matcher calls = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(redis.cli("info", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  record User(String name, int age) {}

  @Test
  void theCacheApiWorksOverARedisUrl() {
    try (Cache cache = Caches.open(url("api:") + "&name=users&ttl=10m&timeout=1s", clock)) {
      cache.put("user:1", new User("Ada", 36));
      assertThat(cache.get("user:1", User.class)).isEqualTo(new User("Ada", 36));
      assertThat(cache.increment("visits", 2, Duration.ofMinutes(1))).isEqualTo(2);
      Cache tenant = cache.scoped("tenant", "a");
      tenant.put("user:1", new User("Bob", 40));
      assertThat(cache.get("user:1", User.class).name()).isEqualTo("Ada");
      try (Stream<String> keys = cache.keys("user:*")) {
        assertThat(keys).containsExactly("user:1");
      }
      assertThat(cache.ttl("user:1")).hasValueSatisfying(
          ttl -> assertThat(ttl).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10)));
      cache.clear();
      assertThat(cache.get("user:1", User.class)).isNull();
    }
  }

  @Test
  void keysLiveUnderThePrefixWithAbsoluteServerExpiry() {
    long expiresAt = clock.millis() + Duration.ofHours(1).toMillis();
    store.put("user:1", bytes("ann"), expiresAt);
    assertThat(redis.cli("get", "app:user:1")).isEqualTo("ann\n");
    assertThat(redis.cli("pexpiretime", "app:user:1")).isEqualTo(expiresAt + "\n");
    assertThat(store.expiresAt("user:1")).isEqualTo(expiresAt);
    assertThat(store.touch("user:1", CacheStore.NEVER)).isTrue();
    assertThat(redis.cli("pttl", "app:user:1")).isEqualTo("-1\n");
    assertThat(store.touch("user:2", CacheStore.NEVER)).isFalse();
  }

  @Test
  void getAllIsOneMgetAndPutAllNeedsNoReplyInBetween() {
    Map<String, byte[]> entries = new HashMap<>();
    IntStream.range(0, 100).forEach(i -> entries.put("k" + i, bytes("v" + i)));
    store.putAll(entries, CacheStore.NEVER);
    assertThat(store.getAll(entries.keySet())).hasSize(100);
    assertThat(store.deleteAll(entries.keySet())).isEqualTo(100);
    assertThat(calls("mget")).isEqualTo(1);
    assertThat(calls("get")).isZero();
    assertThat(calls("set")).isEqualTo(100);
    assertThat(calls("unlink")).isEqualTo(1);
  }

  @Test
  void scriptsAreSentOnceThenRunBySha() {
    for (int i = 0; i < 5; i++) {
      store.increment("counter", 1, CacheStore.NEVER);
    }
    assertThat(calls("eval")).isEqualTo(1);
    assertThat(calls("evalsha")).isEqualTo(5);
  }

  @Test
  void clearAndDeleteMatchingScanOnlyThePrefixAndNeverUseKeysOrFlush() {
    redis.cli("set", "unprefixed", "x");
    try (CacheStore other = Caches.openStore(url("other:"), clock)) {
      other.put("k", bytes("theirs"), CacheStore.NEVER);
      store.put("k", bytes("ours"), CacheStore.NEVER);
      store.put("session:1", bytes("s"), CacheStore.NEVER);
      assertThat(store.deleteMatching(Glob.of("session:*"))).isEqualTo(1);
      store.clear();
      assertThat(store.get("k")).isNull();
      assertThat(other.get("k")).isEqualTo(bytes("theirs"));
      assertThat(redis.cli("get", "unprefixed")).isEqualTo("x\n");
    }
    assertThat(calls("scan")).isPositive();
    assertThat(calls("keys") + calls("flushdb") + calls("flushall")).isZero();
  }

  @Test
  void globsMatchCharactersNotBytesAndNegateWithBang() {
    store.put("ü1", bytes("a"), CacheStore.NEVER);
    store.put("u1", bytes("b"), CacheStore.NEVER);
    store.put("ax", bytes("c"), CacheStore.NEVER);
    store.put("bx", bytes("d"), CacheStore.NEVER);
    store.put("!x", bytes("e"), CacheStore.NEVER);
    try (Stream<String> keys = store.keys(Glob.of("?1"))) {
      assertThat(keys).containsExactlyInAnyOrder("ü1", "u1");
    }
    try (Stream<String> keys = store.keys(Glob.of("[!a]x"))) {
      assertThat(keys).containsExactlyInAnyOrder("bx", "!x");
    }
    try (Stream<String> keys = store.keys(Glob.of("[\\]a]x"))) {
      assertThat(keys).containsExactly("ax");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void keysAgreesWithGlobMatchesOnRandomKeysAndPatterns(long seed) {
    Random random = new Random(seed);
    String alphabet = "ab\u00fc*?[]\\:!^-";
    Set<String> keys = new HashSet<>();
    while (keys.size() < 300) {
      keys.add(randomText(random, alphabet, random.nextInt(6)));
    }
    Map<String, byte[]> entries = new HashMap<>();
    keys.forEach(key -> entries.put(key, bytes("v")));
    store.putAll(entries, CacheStore.NEVER);
    for (int i = 0; i < 25; i++) {
      Glob glob = randomGlob(random);
      Set<String> expected = new HashSet<>();
      keys.stream().filter(glob::matches).forEach(expected::add);
      try (Stream<String> found = store.keys(glob)) {
        assertThat(new HashSet<>(found.toList()))
            .as("seed %d, glob %s", seed, glob).isEqualTo(expected);
      }
    }
  }

  private static String randomText(Random random, String alphabet, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static Glob randomGlob(Random random) {
    List<String> pieces = List.of(
        "*", "?", "a", "b", "\u00fc", ":", "!", "^", "-", "\\*", "\\?", "\\[", "\\]", "\\\\",
        "[ab]", "[^a]", "[!a]", "[a-b]", "[\u00fc?]", "[]a]", "[\\]]", "[!]]", "[*-b]");
    StringBuilder pattern = new StringBuilder();
    int length = 1 + random.nextInt(4);
    for (int i = 0; i < length; i++) {
      pattern.append(pieces.get(random.nextInt(pieces.size())));
    }
    return Glob.of(pattern.toString());
  }

  @Test
  void incrementRefusesOtherRedisTypesNamingTheKey() {
    redis.cli("hset", "app:profile", "name", "ann");
    assertThatThrownBy(() -> store.increment("profile", 1, CacheStore.NEVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'profile'")
        .hasMessageContaining("not a counter");
    redis.cli("set", "app:big", Long.toString(Long.MAX_VALUE));
    assertThatThrownBy(() -> store.increment("big", 1, CacheStore.NEVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'big'");
  }

  @Test
  void valuesOtherThanBytesAreRefused() {
    assertThatThrownBy(() -> store.put("k", "text", CacheStore.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void aTimeoutNamesTheStoreAndTheOperationAndTheStoreRecovers() {
    try (CacheStore impatient = Caches.openStore(url("app:") + "&timeout=200ms", clock)) {
      impatient.put("k", bytes("v"), CacheStore.NEVER);
      // The pause also holds CLIENT UNPAUSE back, so it is short and simply runs out.
      redis.cli("client", "pause", "1500", "all");
      assertThatThrownBy(() -> impatient.get("k"))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("redis://127.0.0.1:" + redis.port())
          .hasMessageContaining("get 'k' timed out");
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .untilAsserted(() -> assertThat(impatient.get("k")).isEqualTo(bytes("v")));
    }
  }

  @Test
  void anUnreachableServerIsACacheExceptionNamingIt() {
    int nobody = RedisServers.freePort();
    assertThatThrownBy(() -> Caches.openStore("redis://:hunter2@127.0.0.1:" + nobody, clock))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cannot connect to Redis at redis://:****@127.0.0.1:" + nobody)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aServerThatDiesFailsCallsInsteadOfHangingThem() {
    int doomed = redis.servers().startServer();
    try (CacheStore dying = Caches.openStore("redis://127.0.0.1:" + doomed + "?prefix=app:", clock)) {
      dying.put("k", bytes("v"), CacheStore.NEVER);
      redis.servers().kill(doomed);
      assertThatThrownBy(() -> dying.get("k"))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("get 'k'");
      assertThatThrownBy(() -> dying.putAll(Map.of("a", bytes("1")), CacheStore.NEVER))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("putAll of 1 keys");
    }
  }

  @Test
  void unknownAndBadParametersAreNamed() {
    assertThatThrownBy(() -> Caches.openStore(url("app:") + "&prefx=oops", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefx");
    assertThatThrownBy(() -> Caches.openStore(url("app:") + "&timeout=soon", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> Caches.openStore(url(""), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix");
    assertThat(List.of("redis", "rediss", "redis-sentinel", "redis-cluster"))
        .allSatisfy(scheme -> assertThat(new RedisStoreProvider().schemes()).contains(scheme));
  }
}
