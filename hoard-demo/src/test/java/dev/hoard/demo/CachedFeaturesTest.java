package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.demo.ApiClient.Reply;
import dev.hoard.demo.TodoDemo.Cached;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002's cache features: admin-only statistics with key counts, a profile update that drops
 * the user's cached entries, a cached task search invalidated by task writes, and TTLs per kind
 * read from the environment.
 */
class CachedFeaturesTest {

  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path data;

  private static final ManualClock clock =
      new ManualClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private static TodoDemo demo;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    demo = TodoDemo.builder().port(0).dataDirectory(data).clock(clock)
        .loginLimit(1000, Duration.ofMinutes(1))
        .environment(Map.of("HOARD_DEMO_TTL_SEARCHES", "30s", "HOARD_DEMO_TTL_PROFILES", "2m"))
        .start();
    admin = ApiClient.withCookies(demo.uri());
    admin.signUp("root", PASSWORD);
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void cacheStatisticsAreForAdminsAndCountKeys() {
    ApiClient user = ApiClient.withCookies(demo.uri());
    user.signUp("ivan", PASSWORD);
    user.post("/api/tasks", Map.of("title", "count me"));
    user.get("/api/tasks");
    user.get("/api/auth/me");
    assertThat(user.get("/api/cache/stats").status()).isEqualTo(403);
    assertThat(ApiClient.withCookies(demo.uri()).get("/api/cache/stats").status()).isEqualTo(401);

    Reply stats = admin.get("/api/cache/stats");
    assertThat(stats.status()).isEqualTo(200);
    JsonNode counts = stats.json().get("cache_stats");
    ApiClient.withCookies(demo.uri()).get("/dashboard.js");
    counts = admin.get("/api/cache/stats").json().get("cache_stats");
    assertThat(counts.get("page_cache_keys").asLong()).isPositive();
    assertThat(counts.get("total_keys").asLong())
        .as("profiles, tasks, pages, rate-limit counters")
        .isGreaterThan(counts.get("page_cache_keys").asLong());
    assertThat(counts.get("session_keys").isNull()).as("the session store cannot count").isTrue();
    assertThat(counts.get("task_cache_keys").isNull()).isTrue();
    assertThat(counts.get("store_type").asText()).isNotBlank();
    assertThat(counts.at("/tasks/misses").asLong()).isPositive();
    assertThat(stats.json().get("health").asBoolean()).isTrue();
  }

  @Test
  void aProfileUpdateDropsTheUsersCachedEntries() {
    ApiClient judy = ApiClient.withCookies(demo.uri());
    judy.signUp("judy", PASSWORD);
    assertThat(judy.get("/api/auth/me").json().at("/user/email").isNull()).isTrue();
    judy.get("/api/tasks");
    long taskLoads = stats("tasks").get("load_successes").asLong();

    Reply changed = judy.patch("/api/users/me", Map.of("email", "judy@example.com"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().at("/user/email").asText()).isEqualTo("judy@example.com");
    assertThat(judy.get("/api/auth/me").json().at("/user/email").asText())
        .as("the profile is not served stale from the cache").isEqualTo("judy@example.com");
    judy.get("/api/tasks");
    assertThat(stats("tasks").get("load_successes").asLong())
        .as("the task list was dropped too").isEqualTo(taskLoads + 1);
    assertThat(judy.patch("/api/users/me", Map.of("email", "no at sign")).status()).isEqualTo(400);
    assertThat(judy.patch("/api/users/me", Map.of("role", "admin")).status()).isEqualTo(400);
  }

  @Test
  void taskSearchesAreCachedAndInvalidatedByTaskWrites() {
    ApiClient kim = ApiClient.withCookies(demo.uri());
    kim.signUp("kim", PASSWORD);
    ApiClient lee = ApiClient.withCookies(demo.uri());
    lee.signUp("lee", PASSWORD);
    kim.post("/api/tasks", Map.of("title", "Buy milk"));
    kim.post("/api/tasks", Map.of("title", "walk", "description", "and buy bread"));
    kim.post("/api/tasks", Map.of("title", "100% done_"));
    lee.post("/api/tasks", Map.of("title", "buy a car"));

    Reply found = kim.get("/api/tasks/search?q=buy");
    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("count").asInt()).as("title or description, any case, own tasks")
        .isEqualTo(2);
    assertThat(kim.get("/api/tasks/search?q=%25").json().get("count").asInt())
        .as("%% is a character, not a wildcard").isEqualTo(1);
    assertThat(kim.get("/api/tasks/search?q=_").json().get("count").asInt()).isEqualTo(1);

    long loads = stats("tasks").get("load_successes").asLong();
    assertThat(kim.get("/api/tasks/search?q=buy").json().get("count").asInt()).isEqualTo(2);
    assertThat(stats("tasks").get("load_successes").asLong()).as("served from the cache")
        .isEqualTo(loads);

    long created = kim.post("/api/tasks", Map.of("title", "buy eggs")).json().at("/task/id")
        .asLong();
    assertThat(kim.get("/api/tasks/search?q=buy").json().get("count").asInt())
        .as("a new task drops the cached search").isEqualTo(3);
    kim.patch("/api/tasks/" + created, Map.of("title", "eggs"));
    assertThat(kim.get("/api/tasks/search?q=buy").json().get("count").asInt()).isEqualTo(2);
    kim.delete("/api/tasks/" + created);
    assertThat(lee.get("/api/tasks/search?q=buy").json().get("count").asInt()).isEqualTo(1);
    assertThat(kim.get("/api/tasks/search?q=").status()).isEqualTo(400);
    assertThat(kim.get("/api/tasks/search?q=" + "a".repeat(101)).status()).isEqualTo(400);
  }

  @Test
  void cacheTtlsComeFromTheEnvironment() {
    ApiClient max = ApiClient.withCookies(demo.uri());
    max.signUp("max", PASSWORD);
    max.post("/api/tasks", Map.of("title", "ttl"));
    max.get("/api/tasks/search?q=ttl");
    max.get("/api/auth/me");
    long taskLoads = stats("tasks").get("load_successes").asLong();

    clock.advance(Duration.ofSeconds(29));
    max.get("/api/tasks/search?q=ttl");
    assertThat(stats("tasks").get("load_successes").asLong()).isEqualTo(taskLoads);
    clock.advance(Duration.ofSeconds(2));
    max.get("/api/tasks/search?q=ttl");
    assertThat(stats("tasks").get("load_successes").asLong())
        .as("HOARD_DEMO_TTL_SEARCHES=30s").isEqualTo(taskLoads + 1);
    assertThat(profileLoadsOf(max)).as("31 s: still cached").isZero();

    clock.advance(Duration.ofSeconds(90));
    assertThat(profileLoadsOf(max)).as("HOARD_DEMO_TTL_PROFILES=2m").isEqualTo(1);
    assertThat(Cached.TASK_LISTS.variable()).isEqualTo("HOARD_DEMO_TTL_TASK_LISTS");
  }

  /** How many profile loads one {@code /api/auth/me} of the client makes (the admin's are apart). */
  private static long profileLoadsOf(ApiClient client) {
    long before = stats("users").get("load_successes").asLong();
    client.get("/api/auth/me");
    return stats("users").get("load_successes").asLong() - before;
  }

  private static JsonNode stats(String cache) {
    return admin.get("/api/cache/stats").json().get("cache_stats").get(cache);
  }
}
