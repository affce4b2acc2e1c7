package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same service with its cache and sessions on the real Redis (127.0.0.1:6379) and Memcached
 * (127.0.0.1:11211), chosen by URL alone: reads hit the cache, writes and clearing by kind
 * invalidate it (tags, so Memcached too), header sessions work, logout ends them.
 */
class TodoOnServersIT {

  private static final String PASSWORD = "correct horse battery";

  @TempDir Path data;

  private final String prefix = "hoard-demo-test-" + UUID.randomUUID() + ":";
  private TodoDemo demo;
  private String cacheUrl;

  @AfterEach
  void stop() {
    demo.close();
    // Tag tokens never expire: leave nothing behind in the shared servers.
    try (CacheStore store = Caches.openStore(cacheUrl, Clock.systemUTC())) {
      store.clear();
    }
  }

  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of("redis://127.0.0.1:6379/0?prefix=%sc:", "redis://127.0.0.1:6379/0?prefix=%ss:"),
        Arguments.of("memcached://127.0.0.1:11211?prefix=%sc:",
            "cache:memcached://127.0.0.1:11211?prefix=%ss:"));
  }

  @ParameterizedTest(name = "cache {0}, sessions {1}")
  @MethodSource("servers")
  void tasksAndSessionsLiveOnTheServers(String cache, String sessions) {
    cacheUrl = cache.formatted(prefix);
    demo = TodoDemo.builder().port(0).dataDirectory(data)
        .cacheUrl(cacheUrl)
        .sessionUrl(sessions.formatted(prefix))
        .loginLimit(100, Duration.ofMinutes(1))
        .start();
    ApiClient client = ApiClient.withoutCookies(demo.uri());
    String id = client.signUp("olga", PASSWORD);
    ApiClient olga = ApiClient.withoutCookies(demo.uri()).header("Authorization", "Session " + id);

    long task = olga.post("/api/tasks", Map.of("title", "on redis")).json().at("/task/id").asLong();
    olga.get("/api/tasks");
    long loads = tasks(olga).get("load_successes").asLong();
    assertThat(olga.get("/api/tasks").json().at("/tasks/0/title").asText()).isEqualTo("on redis");
    JsonNode afterHit = tasks(olga);
    assertThat(afterHit.get("load_successes").asLong()).isEqualTo(loads);
    assertThat(afterHit.get("hits").asLong()).isPositive();
    assertThat(afterHit.get("errors").asLong()).isZero();

    olga.patch("/api/tasks/" + task, Map.of("title", "still on redis"));
    assertThat(olga.get("/api/tasks").json().at("/tasks/0/title").asText())
        .isEqualTo("still on redis");
    assertThat(olga.post("/api/cache/clear", Map.of("cache_type", "tasks", "password", PASSWORD)).status())
        .isEqualTo(200);
    long beforeCleared = tasks(olga).get("load_successes").asLong();
    olga.get("/api/tasks");
    assertThat(tasks(olga).get("load_successes").asLong()).isEqualTo(beforeCleared + 1);

    assertThat(ApiClient.withoutCookies(demo.uri()).get("/health").json().get("cache").asText())
        .isEqualTo("up");
    assertThat(olga.post("/api/auth/logout", Map.of()).status()).isEqualTo(204);
    assertThat(olga.get("/api/auth/me").status()).isEqualTo(401);
  }

  private static JsonNode tasks(ApiClient client) {
    return client.get("/api/cache/stats").json().at("/cache_stats/tasks");
  }
}
