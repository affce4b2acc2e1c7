package dev.hoard.cli;

import static dev.hoard.cli.Run.hoard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Caches, sessions and rate-limit counters opened with default URLs on one real server keep out
 * of each other's keys: {@code Caches.open(url).clear()} and {@code hoard cache clear --yes} end
 * no session and reset no limit, and a prefix that overlaps another Hoard key space is refused
 * with a message naming both. Each server is a private one on a free port, so clearing the
 * default prefixes disturbs nobody else.
 */
class KeySpaceSeparationIT {

  private static final ClientInfo CLIENT = new ClientInfo("10.0.0.7", "Firefox/140");

  @RegisterExtension
  static final PrivateRedis redisServer = PrivateRedis.server();

  private static String redis;
  private static Process memcachedServer;
  private static String memcached;

  @BeforeAll
  static void startServers() throws IOException {
    redis = redisServer.url() + "/0";
    int port = RedisServers.freePort();
    memcachedServer = new ProcessBuilder(
        "memcached", "-p", Integer.toString(port), "-l", "127.0.0.1", "-U", "0", "-u", "root")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      }
    });
    memcached = "memcached://127.0.0.1:" + port;
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    memcachedServer.destroyForcibly();
    memcachedServer.waitFor();
  }

  /** The cache URL and the session URL a user would write with no prefix, per server. */
  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of("redis", (Object) null),
        Arguments.of("redis", "cache:"),
        Arguments.of("memcached", "cache:"));
  }

  private static String server(String kind) {
    return kind.equals("redis") ? redis : memcached;
  }

  @ParameterizedTest(name = "{0}, sessions {1}{0}")
  @MethodSource("servers")
  void clearingTheDefaultCacheEndsNoSessionAndResetsNoLimit(String kind, String sessionScheme) {
    String url = server(kind);
    String sessionUrl = (sessionScheme == null ? "" : sessionScheme) + url;
    try (SessionManager sessions = Sessions.open(sessionUrl);
        CacheStore counters =
            Caches.openStore(url, Clock.systemUTC(), ReservedKeySpace.RATE_LIMITS)) {
      Session session = sessions.open(null, CLIENT);
      session.bindUser("alice");
      session.put("cart", "3 books");
      String token = sessions.save(session);
      RateLimiter logins =
          RateLimiter.builder(counters).name("login").limit(3).per(Duration.ofMinutes(5)).build();
      String client = UUID.randomUUID().toString(); // cases share the servers
      logins.tryAcquire(client);
      logins.tryAcquire(client);

      Cache cache = Caches.open(url);
      cache.put("greeting", "hello", Duration.ofMinutes(5));
      cache.clear();
      assertThat(cache.get("greeting")).isNull();
      Run cli = hoard("cache", "clear", "--yes", "--url", url);
      assertThat(cli.exitCode()).as(cli.toString()).isZero();

      assertThat(sessions.find(token, CLIENT)).as("the session after both clears").isPresent()
          .get().extracting(live -> live.get("cart", String.class)).isEqualTo("3 books");
      assertThat(sessions.sessionsOf("alice")).hasSize(1);
      assertThat(logins.tryAcquire(client).allowed()).isTrue();
      assertThat(logins.tryAcquire(client).allowed())
          .as("the third login of three was counted before the clears").isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aCachePrefixContainingTheSessionsIsRefused(String kind, String ignored) {
    String url = server(kind);
    assertThatThrownBy(() -> Caches.open(url + "?prefix=hoard:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix 'hoard:' for caches contains 'hoard:s:'")
        .hasMessageContaining("would delete the sessions");
    Run cli = hoard("cache", "clear", "--yes", "--url", url + "?prefix=hoard:");
    assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(2);
    assertThat(cli.firstErrorLine()).contains("prefix 'hoard:' for caches contains");
    assertThatThrownBy(() -> Caches.open(url + "?prefix=hoard:s:pages:"))
        .hasMessageContaining("prefix 'hoard:s:pages:' for caches lies inside 'hoard:s:'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aSessionPrefixInsideTheCachesIsRefused(String kind, String sessionScheme) {
    String url = (sessionScheme == null ? "" : sessionScheme) + server(kind);
    assertThatThrownBy(() -> Sessions.open(url + "?prefix=hoard:c:sessions:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix 'hoard:c:sessions:' for sessions lies inside 'hoard:c:'")
        .hasMessageContaining("clearing the caches would delete these sessions");
    assertThatThrownBy(() -> Sessions.open(url + "?prefix="))
        .hasMessageContaining("prefix '' for sessions contains 'hoard:c:'");
  }
}
