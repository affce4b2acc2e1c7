package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hoard.demo.ApiClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Todo API end to end: the real demo on a free port, called over java.net.http. */
class TodoApiTest {

  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path data;

  private static TodoDemo demo;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    // Every test logs in from 127.0.0.1; LoginRateLimitTest checks the limit on its own server.
    demo = TodoDemo.builder().port(0).dataDirectory(data).loginLimit(1000, Duration.ofMinutes(1))
        .start();
    admin = ApiClient.withCookies(demo.uri());
    // The first user registered is the admin.
    admin.signUp("root", PASSWORD);
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void registersLogsInWithTheCookieAndLogsOut() {
    ApiClient alice = ApiClient.withCookies(demo.uri());
    Reply registered = alice.post("/api/auth/register",
        Map.of("username", "alice", "password", PASSWORD, "email", "alice@example.com"));
    assertThat(registered.status()).isEqualTo(201);
    JsonNode user = registered.json().get("user");
    assertThat(user.get("username").asText()).isEqualTo("alice");
    assertThat(user.get("role").asText()).isEqualTo("user");
    assertThat(user.has("password_hash")).isFalse();
    assertThat(registered.text()).doesNotContain(PASSWORD);

    assertThat(alice.get("/api/auth/me").status()).isEqualTo(401);
    Reply login = alice.post("/api/auth/login", Map.of("username", "alice", "password", PASSWORD));
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().get("csrf_token").asText()).isNotBlank();
    assertThat(login.header("Set-Cookie")).contains("HttpOnly").contains("SameSite=Lax");
    assertThat(login.header("X-Session-ID")).as("a cookie client gets no X-Session-ID").isNull();
    String cookie = login.header("Set-Cookie");
    assertThat(login.text()).as("the id travels in the cookie only")
        .doesNotContain(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')));
    alice.login("alice", PASSWORD);

    Reply me = alice.get("/api/auth/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().at("/user/username").asText()).isEqualTo("alice");

    assertThat(alice.post("/api/auth/logout", Map.of()).status()).isEqualTo(204);
    assertThat(alice.get("/api/auth/me").status()).isEqualTo(401);
    assertThat(alice.get("/api/tasks").status()).isEqualTo(401);
  }

  @Test
  void unsafeCookieRequestsWithoutTheCsrfTokenAreRefused() {
    ApiClient mallory = ApiClient.withCookies(demo.uri());
    mallory.signUp("mallory", PASSWORD);
    assertThat(mallory.post("/api/tasks", Map.of("title", "with token")).status()).isEqualTo(201);
    mallory.withoutCsrfToken();
    Reply forged = mallory.post("/api/tasks", Map.of("title", "forged"));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.json().get("error").asText()).as("JSON like every error")
        .isEqualTo("forbidden");
    assertThat(mallory.get("/api/tasks").json().get("count").asInt())
        .as("reads need no token").isEqualTo(1);
  }

  @Test
  void sessionsTravelInTheXSessionIdAndAuthorizationHeaders() {
    ApiClient registrar = ApiClient.withoutCookies(demo.uri());
    String id = registrar.signUp("judy", PASSWORD);
    assertThat(id).as("X-Session-ID of the login").isNotBlank();

    ApiClient byHeader = ApiClient.withoutCookies(demo.uri()).header("X-Session-ID", id);
    assertThat(byHeader.get("/api/auth/me").json().at("/user/username").asText())
        .isEqualTo("judy");
    // Header sessions need no CSRF token: a browser never adds the header by itself.
    assertThat(byHeader.post("/api/tasks", Map.of("title", "from a script")).status())
        .isEqualTo(201);
    assertThat(byHeader.get("/api/cache/session/info").json().get("authentication_method")
        .asText()).isEqualTo("header");

    ApiClient byAuthorization =
        ApiClient.withoutCookies(demo.uri()).header("Authorization", "Session " + id);
    assertThat(byAuthorization.get("/api/tasks").json().get("count").asInt()).isEqualTo(1);

    assertThat(byAuthorization.post("/api/auth/logout", Map.of()).status()).isEqualTo(204);
    assertThat(byHeader.get("/api/auth/me").status()).as("the id is dead for every transport")
        .isEqualTo(401);
  }

  @Test
  void clearingSessionsLogsEveryoneOut() {
    // Its own server: this logs out every user, the admin of the other tests included.
    try (TodoDemo other = TodoDemo.builder().port(0).dataDirectory(data.resolve("clear"))
        .loginLimit(1000, Duration.ofMinutes(1)).start()) {
      ApiClient root = ApiClient.withCookies(other.uri());
      root.signUp("root", PASSWORD);
      ApiClient kim = ApiClient.withCookies(other.uri());
      kim.signUp("kim", PASSWORD);
      Reply cleared = root.post("/api/cache/clear",
          Map.of("cache_type", "sessions", "password", PASSWORD));
      assertThat(cleared.status()).isEqualTo(200);
      assertThat(cleared.json().get("sessions_revoked").asLong()).isEqualTo(2);
      assertThat(kim.get("/api/auth/me").status()).isEqualTo(401);
      assertThat(root.get("/api/auth/me").status()).isEqualTo(401);
    }
  }

  @Test
  void refusesATakenNameAndBadInputWithMessagesThatNameTheField() {
    ApiClient client = ApiClient.withCookies(demo.uri());
    assertThat(client.post("/api/auth/register", Map.of("username", "bob", "password", PASSWORD))
        .status()).isEqualTo(201);
    Reply taken = client.post("/api/auth/register", Map.of("username", "BOB", "password", PASSWORD));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.json().get("field").asText()).isEqualTo("username");

    Reply shortPassword =
        client.post("/api/auth/register", Map.of("username", "bob2", "password", "short"));
    assertThat(shortPassword.status()).isEqualTo(400);
    assertThat(shortPassword.json().get("field").asText()).isEqualTo("password");
    assertThat(shortPassword.json().get("message").asText()).contains("8 to 128");

    Reply badName = client.post("/api/auth/register", Map.of("username", "a b", "password", PASSWORD));
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().get("error").asText()).isEqualTo("invalid_request");

    Reply unknownField = client.post("/api/auth/register",
        Map.of("username", "bob3", "password", PASSWORD, "admin", true));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.json().get("message").asText()).contains("unknown field 'admin'");

    assertThat(client.postRaw("/api/auth/login", "application/json", "{not json").status())
        .isEqualTo(400);
    assertThat(client.postRaw("/api/auth/login", "text/plain", "username=bob").status())
        .isEqualTo(415);
    assertThat(client.postRaw("/api/auth/login", "application/json", "").status()).isEqualTo(400);

    client.login("bob", PASSWORD);
    Reply noTitle = client.post("/api/tasks", Map.of("description", "no title"));
    assertThat(noTitle.status()).isEqualTo(400);
    assertThat(noTitle.json().get("field").asText()).isEqualTo("title");
    Reply wrongType = client.post("/api/tasks", Map.of("title", "x", "completed", "maybe"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("field").asText()).isEqualTo("completed");
    assertThat(client.get("/api/tasks/abc").status()).isEqualTo(400);
    Reply nowhere = client.get("/api/nowhere");
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.json().get("error").asText()).isEqualTo("not_found");
    Reply wrongMethod = client.delete("/api/tasks");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("message").asText()).contains("GET or POST");
  }

  @Test
  void tasksAreReadThroughTheCacheAndInvalidatedOnWrites() {
    ApiClient carol = ApiClient.withCookies(demo.uri());
    carol.signUp("carol", PASSWORD);

    Reply created = carol.post("/api/tasks", Map.of("title", "buy milk", "description", "2 l"));
    assertThat(created.status()).isEqualTo(201);
    long id = created.json().at("/task/id").asLong();
    assertThat(created.json().at("/task/completed").asBoolean()).isFalse();

    JsonNode before = taskStats();
    assertThat(carol.get("/api/tasks").json().get("count").asInt()).isEqualTo(1);
    JsonNode afterMiss = taskStats();
    assertThat(afterMiss.get("misses").asLong()).isGreaterThan(before.get("misses").asLong());
    assertThat(afterMiss.get("load_successes").asLong())
        .isEqualTo(before.get("load_successes").asLong() + 1);

    assertThat(carol.get("/api/tasks").json().at("/tasks/0/title").asText()).isEqualTo("buy milk");
    JsonNode afterHit = taskStats();
    assertThat(afterHit.get("hits").asLong()).isGreaterThan(afterMiss.get("hits").asLong());
    assertThat(afterHit.get("load_successes").asLong())
        .as("the second read is a hit: no load")
        .isEqualTo(afterMiss.get("load_successes").asLong());

    carol.get("/api/tasks/" + id);
    JsonNode oneLoaded = taskStats();
    assertThat(carol.get("/api/tasks/" + id).json().at("/task/title").asText()).isEqualTo("buy milk");
    assertThat(taskStats().get("load_successes").asLong())
        .isEqualTo(oneLoaded.get("load_successes").asLong());

    Reply patched = carol.patch("/api/tasks/" + id, Map.of("completed", true));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().at("/task/completed").asBoolean()).isTrue();
    assertThat(patched.json().at("/task/title").asText()).isEqualTo("buy milk");
    // The update dropped both cached entries: both reads see it at once.
    assertThat(carol.get("/api/tasks/" + id).json().at("/task/completed").asBoolean()).isTrue();
    assertThat(carol.get("/api/tasks?completed=true").json().get("count").asInt()).isEqualTo(1);
    assertThat(carol.get("/api/tasks?completed=false").json().get("count").asInt()).isZero();

    Reply replaced = carol.put("/api/tasks/" + id, Map.of("title", "buy oat milk"));
    assertThat(replaced.json().at("/task/completed").asBoolean()).isFalse();
    assertThat(carol.get("/api/tasks").json().at("/tasks/0/title").asText())
        .isEqualTo("buy oat milk");

    ApiClient dave = ApiClient.withCookies(demo.uri());
    dave.signUp("dave", PASSWORD);
    assertThat(dave.get("/api/tasks/" + id).status()).isEqualTo(404);
    assertThat(dave.patch("/api/tasks/" + id, Map.of("title", "mine")).status()).isEqualTo(404);
    assertThat(dave.delete("/api/tasks/" + id).status()).isEqualTo(404);
    assertThat(dave.get("/api/tasks").json().get("count").asInt()).isZero();

    assertThat(carol.delete("/api/tasks/" + id).status()).isEqualTo(204);
    assertThat(carol.get("/api/tasks/" + id).status()).isEqualTo(404);
    assertThat(carol.get("/api/tasks").json().get("count").asInt()).isZero();
  }

  @Test
  void invalidationAndClearingMakeTheNextReadALoad() {
    ApiClient erin = ApiClient.withCookies(demo.uri());
    erin.signUp("erin", PASSWORD);
    long taskId = erin.post("/api/tasks", Map.of("title", "write report")).json().at("/task/id")
        .asLong();
    long userId = erin.get("/api/auth/me").json().at("/user/id").asLong();
    erin.get("/api/tasks");
    erin.get("/api/tasks/" + taskId);

    long loads = taskStats().get("load_successes").asLong();
    erin.get("/api/tasks");
    assertThat(taskStats().get("load_successes").asLong()).isEqualTo(loads);

    assertThat(erin.post("/api/cache/invalidate/task/" + taskId, Map.of()).status()).isEqualTo(200);
    erin.get("/api/tasks/" + taskId);
    erin.get("/api/tasks");
    assertThat(taskStats().get("load_successes").asLong()).isEqualTo(loads + 2);

    assertThat(erin.post("/api/cache/invalidate/user/" + userId, Map.of()).status()).isEqualTo(200);
    erin.get("/api/tasks");
    assertThat(taskStats().get("load_successes").asLong()).isEqualTo(loads + 3);

    // Clearing needs an admin; erin is not one.
    assertThat(erin.post("/api/cache/clear", Map.of("cache_type", "tasks")).status())
        .isEqualTo(403);
    assertThat(erin.post("/api/cache/invalidate/user/1", Map.of()).status()).isEqualTo(403);

    long userLoads = stats("users").get("load_successes").asLong();
    Reply cleared = admin.post("/api/cache/clear",
        Map.of("cache_type", "users", "password", PASSWORD));
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().get("cleared").get(0).asText()).isEqualTo("users");
    erin.get("/api/auth/me");
    assertThat(stats("users").get("load_successes").asLong()).isGreaterThan(userLoads);

    assertThat(admin.post("/api/cache/clear", Map.of("cache_type", "tasks")).status())
        .as("an admin action without the password").isEqualTo(403);
    assertThat(admin.post("/api/cache/clear",
        Map.of("cache_type", "tasks", "password", "not the password")).status()).isEqualTo(403);
    assertThat(admin.post("/api/cache/clear", Map.of("cache_type", "tasks", "password", PASSWORD))
        .status()).isEqualTo(200);
    long beforeClearedRead = taskStats().get("load_successes").asLong();
    erin.get("/api/tasks");
    assertThat(taskStats().get("load_successes").asLong()).isEqualTo(beforeClearedRead + 1);

    Reply badKind = admin.post("/api/cache/clear", Map.of("cache_type", "everything"));
    assertThat(badKind.status()).isEqualTo(400);
    assertThat(badKind.json().get("message").asText()).contains("users, tasks, sessions or all");
  }

  @Test
  void sessionDataCanBeReadUpdatedAndDeleted() {
    ApiClient frank = ApiClient.withCookies(demo.uri());
    frank.signUp("frank", PASSWORD);
    Reply updated = frank.post("/api/cache/session/update", Map.of("theme", "dark", "page", 3));
    assertThat(updated.status()).isEqualTo(200);
    Reply info = frank.get("/api/cache/session/info");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().get("username").asText()).isEqualTo("frank");
    assertThat(info.json().get("authentication_method").asText()).isEqualTo("cookie");
    assertThat(info.json().at("/session_data/theme").asText()).isEqualTo("dark");
    assertThat(info.json().at("/session_data/page").asInt()).isEqualTo(3);
    assertThat(info.json().get("session_id").asText()).endsWith("…");

    Map<String, Object> removeTheme = new java.util.HashMap<>();
    removeTheme.put("theme", null);
    frank.post("/api/cache/session/update", removeTheme);
    assertThat(frank.get("/api/cache/session/info").json().get("session_data").has("theme"))
        .isFalse();

    Reply reserved = frank.post("/api/cache/session/update", Map.of("user_id", 1));
    assertThat(reserved.status()).isEqualTo(400);
    assertThat(reserved.json().get("field").asText()).isEqualTo("user_id");
    Reply nested = frank.post("/api/cache/session/update", Map.of("prefs", Map.of("a", 1)));
    assertThat(nested.status()).isEqualTo(400);

    assertThat(frank.delete("/api/cache/session").status()).isEqualTo(204);
    assertThat(frank.get("/api/cache/session/info").status()).isEqualTo(401);
  }

  @Test
  void servesPrometheusMetricsForCachesSessionsAndRequests() {
    ApiClient ivan = ApiClient.withCookies(demo.uri());
    ivan.signUp("ivan", PASSWORD);
    ivan.get("/api/tasks");
    ivan.get("/api/tasks");
    Reply metrics = ivan.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    assertThat(metrics.text())
        .containsPattern("cache_gets_total\\{cache=\"tasks\",[^}]*result=\"hit\"[^}]*\\} [1-9]")
        .containsPattern("cache_gets_total\\{cache=\"tasks\",[^}]*result=\"miss\"[^}]*\\} [1-9]")
        .contains("cache_hit_ratio{cache=\"users\"")
        .contains("cache_load_duration_seconds_total{cache=\"tasks\"")
        .contains("cache_errors_total{cache=\"tasks\"")
        .containsPattern("hoard_cache_reads_seconds_count\\{cache=\"tasks\"[^}]*\\} [1-9]")
        .containsPattern("hoard_sessions_active [1-9]")
        .containsPattern("hoard_sessions_started_total [1-9]")
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/api/tasks\"[^}]*\\} [1-9]")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void reportsHealthAndDashboardNumbers() {
    Reply health = ApiClient.withoutCookies(demo.uri()).get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("ok");
    assertThat(health.json().get("database").asText()).isEqualTo("up");
    assertThat(health.json().get("cache").asText()).isEqualTo("up");
    assertThat(health.text()).as("one answer per line").endsWith("}\n");

    JsonNode dashboard = ApiClient.withoutCookies(demo.uri()).get("/api/dashboard").json();
    assertThat(dashboard.get("caches").has("users")).isTrue();
    assertThat(dashboard.get("caches").has("tasks")).isTrue();
    assertThat(dashboard.at("/caches/tasks/reads").isNumber()).isTrue();
    assertThat(dashboard.at("/sessions/active").isNumber()).isTrue();
    assertThat(dashboard.at("/rate_limit/rejections").isNumber()).isTrue();

    Reply page = ApiClient.withoutCookies(demo.uri()).get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.text()).contains("<canvas id=\"chart-hit-rate\"");
  }

  @Test
  void thePagesFilesComeThroughTheResponseCache() {
    long hits = stats("pages").get("hits").asLong();
    Reply first = ApiClient.withoutCookies(demo.uri()).get("/dashboard.js");
    Reply second = ApiClient.withoutCookies(demo.uri()).get("/dashboard.js");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.text()).isEqualTo(first.text()).contains("/api/dashboard");
    String etag = second.header("ETag");
    assertThat(etag).startsWith("\"");
    assertThat(second.header("Age")).as("served from the cache").isNotNull();
    assertThat(stats("pages").get("hits").asLong()).isGreaterThan(hits);

    Reply unchanged = ApiClient.withoutCookies(demo.uri()).header("If-None-Match", etag)
        .get("/dashboard.js");
    assertThat(unchanged.status()).isEqualTo(304);
    assertThat(unchanged.text()).isEmpty();
  }

  private static JsonNode taskStats() {
    return stats("tasks");
  }

  private static JsonNode stats(String cache) {
    Reply stats = admin.get("/api/cache/stats");
    assertThat(stats.status()).isEqualTo(200);
    return stats.json().get("cache_stats").get(cache);
  }
}
