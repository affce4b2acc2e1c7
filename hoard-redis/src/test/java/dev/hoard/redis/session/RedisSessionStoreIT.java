package dev.hoard.redis.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Redis session store sends and leaves in Redis, on a server of its own. */
class RedisSessionStoreIT {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.server();

  private final ManualClock clock = new ManualClock();
  private RedisSessionStore store;

  @BeforeEach
  void openStore() {
    redis.cli("flushall");
    store = RedisSessionStores.open(
        "redis://127.0.0.1:" + redis.port() + "/0?prefix=app:", clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static long calls(String command) {
    Matcher calls = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(redis.cli("info", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  private SessionRecord session(String key, String user, Duration idle) {
    Instant now = clock.instant();
    return new SessionRecord(
        key, now, now, now.plus(idle), user, Map.of("cart", "[1]".getBytes(UTF_8)));
  }

  @Test
  void aSessionIsOneHashWithNativeExpiryAndItsUserIsASet() {
    SessionRecord record = session("k1", "alice", Duration.ofMinutes(30));
    store.create(record);

    String hash = redis.cli("hgetall", "app:s:{k1}");
    assertThat(hash.lines().toList()).containsSubsequence("a:cart", "[1]");
    assertThat(hash.lines().toList()).containsSubsequence("#user", "alice");
    assertThat(redis.cli("pexpiretime", "app:s:{k1}").trim())
        .isEqualTo(Long.toString(record.expiresAt().toEpochMilli()));
    assertThat(redis.cli("smembers", "app:u:alice").trim()).isEqualTo("k1");
    assertThat(Long.parseLong(redis.cli("pttl", "app:u:alice").trim())).isPositive();
  }

  @Test
  void aDeltaIsOneEvalsha() {
    store.create(session("k1", null, Duration.ofMinutes(30)));
    // The first run loads the script (NOSCRIPT, then EVAL); from then on it runs by SHA.
    store.update("k1", delta(Map.of("warm", new byte[] {1}), null), clock.instant());
    redis.cli("config", "resetstat");

    assertThat(store.update("k1", delta(Map.of("a", new byte[] {2}), null), clock.instant()))
        .isTrue();

    assertThat(calls("evalsha")).isEqualTo(1);
    assertThat(calls("eval")).isZero();
    assertThat(calls("hgetall")).isZero();
  }

  private SessionDelta delta(Map<String, byte[]> changed, String user) {
    Instant now = clock.instant();
    return new SessionDelta(changed, Set.of(), now, now.plus(Duration.ofMinutes(30)), user);
  }

  @Test
  void aSessionRedisExpiredIsNotRecreatedByALateDelta() {
    // Expiry by Redis's own clock, not by the time the store is told.
    Instant soon = Instant.now().plusMillis(200);
    Instant now = clock.instant();
    store.create(new SessionRecord("k1", now, now, soon, null, Map.of()));
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> redis.cli("exists", "app:s:{k1}").trim().equals("0"));

    assertThat(store.update("k1", delta(Map.of("late", new byte[] {1}), "bob"), now)).isFalse();

    assertThat(redis.cli("exists", "app:s:{k1}").trim()).isEqualTo("0");
    assertThat(store.findByUser("bob", now)).isEmpty();
    assertThat(store.indexedSessionsOf("bob")).isZero();
  }

  @Test
  void deletingASessionTakesItOutOfItsUsersSet() {
    store.create(session("k1", "alice", Duration.ofMinutes(30)));
    store.create(session("k2", "alice", Duration.ofMinutes(30)));
    store.delete("k1");
    assertThat(redis.cli("smembers", "app:u:alice").trim()).isEqualTo("k2");
  }

  @Test
  void purgeWalksUserSetsOnly() {
    store.create(session("k1", "alice", Duration.ofMinutes(5)));
    store.create(session("k2", "alice", Duration.ofHours(1)));
    store.create(session("k3", null, Duration.ofMinutes(5)));

    assertThat(store.purgeExpired(clock.instant().plus(Duration.ofMinutes(10)))).isEqualTo(1);

    assertThat(redis.cli("exists", "app:s:{k1}").trim()).isEqualTo("0");
    assertThat(redis.cli("smembers", "app:u:alice").trim()).isEqualTo("k2");
    // Left to Redis, which expires it by itself.
    assertThat(redis.cli("exists", "app:s:{k3}").trim()).isEqualTo("1");
  }

  @Test
  void providerOpensEveryRedisSchemeWithTheSessionPrefix() {
    SessionStoreProvider provider = ServiceLoader.load(SessionStoreProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.schemes().contains("redis"))
        .findFirst().orElseThrow();
    assertThat(provider.schemes())
        .contains("redis", "rediss", "redis-sentinel", "redis-cluster");
    StoreUrl url = StoreUrl.parse("redis://127.0.0.1:" + redis.port() + "/0?timeout=1s");
    try (SessionBackend backend = provider.open(url, clock)) {
      url.rejectUnknownParameters();
      assertThat(((RedisSessionStore) backend).prefix()).isEqualTo("hoard:s:");
      assertThat(backend.description()).contains("127.0.0.1:" + redis.port());
    }
    StoreUrl misspelt = StoreUrl.parse("redis://127.0.0.1:" + redis.port() + "?prefx=a:");
    provider.open(misspelt, clock).close();
    assertThatThrownBy(misspelt::rejectUnknownParameters)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefx");
    assertThatThrownBy(() -> provider.open(StoreUrl.parse("redis://127.0.0.1?prefix="), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
  }

  @Test
  void anUnreachableServerIsASessionExceptionWithoutThePassword() {
    int nobody = RedisServers.freePort();
    assertThatThrownBy(() -> RedisSessionStores.open(
        "redis://:secret@127.0.0.1:" + nobody + "?timeout=500ms", clock))
        .isInstanceOf(SessionException.class)
        .hasMessageContaining("127.0.0.1:" + nobody)
        .hasMessageNotContaining("secret");
  }
}
