package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.demo.ApiClient.Reply;
import dev.hoard.servlet.TrustedProxies;
import dev.hoard.session.cookie.CookieSessionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ASVS 4.0.3 V3 in the demo: a user sees and ends their own sessions (3.3.4), a password change
 * ends the others (3.3.3), admins confirm destructive actions with their password (3.7.1), cookie
 * sessions are revocable through the revocation store, and trusted proxies name the client.
 */
class AccountSecurityTest {

  private static final String PASSWORD = "correct horse battery";
  private static final String NEW_PASSWORD = "battery staple horse";

  @TempDir static Path data;

  private static TodoDemo demo;
  private static ApiClient admin;

  @BeforeAll
  static void start() {
    demo = TodoDemo.builder().port(0).dataDirectory(data).loginLimit(1000, Duration.ofMinutes(1))
        .start();
    admin = ApiClient.withCookies(demo.uri());
    admin.signUp("root", PASSWORD);
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void aUserListsTheirSessionsAndEndsOneOrAllOthers() {
    ApiClient laptop = ApiClient.withCookies(demo.uri()).header("User-Agent", "laptop");
    laptop.signUp("alice", PASSWORD);
    String laptopHandle = laptop.get("/api/auth/sessions").json().at("/sessions/0/handle").asText();
    ApiClient phone = ApiClient.withoutCookies(demo.uri()).header("User-Agent", "phone");
    String phoneId = phone.login("alice", PASSWORD);
    phone.header("X-Session-ID", phoneId);
    String phoneHandle = null;
    for (JsonNode session : phone.get("/api/auth/sessions").json().get("sessions")) {
      if (!session.get("handle").asText().equals(laptopHandle)) {
        phoneHandle = session.get("handle").asText();
      }
    }
    assertThat(phoneHandle).isNotNull();
    ApiClient tablet = ApiClient.withCookies(demo.uri());
    tablet.login("alice", PASSWORD);
    ApiClient mallory = ApiClient.withCookies(demo.uri());
    mallory.signUp("mallory", PASSWORD);

    JsonNode listed = laptop.get("/api/auth/sessions").json();
    assertThat(listed.get("count").asInt()).isEqualTo(3);
    JsonNode first = listed.get("sessions").get(0);
    assertThat(first.has("created_at")).isTrue();
    assertThat(first.has("last_used_at")).isTrue();
    assertThat(first.get("address").asText()).as("the address the store kept")
        .contains("127.0.0.1");
    assertThat(first.get("user_agent").asText()).as("the client's User-Agent")
        .contains("Java-http-client");
    assertThat(listed.toString()).as("handles, never ids").doesNotContain(phoneId);

    assertThat(mallory.delete("/api/auth/sessions/" + phoneHandle).status())
        .as("another user's session").isEqualTo(404);
    assertThat(phone.get("/api/auth/me").status()).isEqualTo(200);
    assertThat(laptop.delete("/api/auth/sessions/" + phoneHandle).status()).isEqualTo(204);
    assertThat(phone.get("/api/auth/me").status()).isEqualTo(401);
    assertThat(laptop.delete("/api/auth/sessions/no-such-handle").status()).isEqualTo(404);

    Reply others = laptop.delete("/api/auth/sessions");
    assertThat(others.status()).isEqualTo(200);
    assertThat(others.json().get("other_sessions_ended").asLong()).isEqualTo(1);
    assertThat(others.json().get("signed_in").asBoolean()).isTrue();
    assertThat(tablet.get("/api/auth/me").status()).isEqualTo(401);
    assertThat(laptop.get("/api/auth/me").status()).isEqualTo(200);
    laptop.csrfToken(others.json().get("csrf_token").asText());
    assertThat(laptop.post("/api/tasks", Map.of("title", "still here")).status()).isEqualTo(201);
    assertThat(laptop.get("/api/auth/sessions").json().get("count").asInt()).isEqualTo(1);
    assertThat(mallory.get("/api/auth/me").status()).as("other users keep theirs").isEqualTo(200);
  }

  @Test
  void aPasswordChangeEndsTheOtherSessions() {
    ApiClient here = ApiClient.withCookies(demo.uri());
    here.signUp("bob", PASSWORD);
    ApiClient elsewhere = ApiClient.withCookies(demo.uri());
    elsewhere.login("bob", PASSWORD);

    Reply wrong = here.post("/api/auth/password",
        Map.of("current_password", "not my password", "new_password", NEW_PASSWORD));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json().get("field").asText()).isEqualTo("current_password");
    assertThat(here.post("/api/auth/password",
        Map.of("current_password", PASSWORD, "new_password", "short")).status()).isEqualTo(400);
    assertThat(elsewhere.get("/api/auth/me").status()).isEqualTo(200);

    Reply changed = here.post("/api/auth/password",
        Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().get("other_sessions_ended").asLong()).isEqualTo(1);
    assertThat(elsewhere.get("/api/auth/me").status()).isEqualTo(401);
    assertThat(here.get("/api/auth/me").status()).isEqualTo(200);
    assertThat(ApiClient.withCookies(demo.uri()).post("/api/auth/login",
        Map.of("username", "bob", "password", PASSWORD)).status()).isEqualTo(401);
    ApiClient.withCookies(demo.uri()).login("bob", NEW_PASSWORD);
  }

  @Test
  void adminsConfirmDestructiveActionsWithTheirPassword() {
    ApiClient carol = ApiClient.withCookies(demo.uri());
    carol.signUp("carol", PASSWORD);
    long carolId = carol.get("/api/auth/me").json().at("/user/id").asLong();
    long task = carol.post("/api/tasks", Map.of("title", "mine")).json().at("/task/id").asLong();

    assertThat(carol.post("/api/cache/invalidate/user/" + carolId, Map.of()).status())
        .as("a user's own entries need no password").isEqualTo(200);
    for (String path : new String[] {
        "/api/cache/invalidate/user/" + carolId, "/api/cache/invalidate/task/" + task}) {
      Reply bare = admin.post(path, Map.of());
      assertThat(bare.status()).as(path).isEqualTo(403);
      assertThat(bare.json().get("field").asText()).isEqualTo("password");
      assertThat(admin.post(path, Map.of("password", "wrong password")).status()).isEqualTo(403);
      assertThat(admin.post(path, Map.of("password", PASSWORD)).status()).isEqualTo(200);
    }
    assertThat(admin.post("/api/cache/clear", Map.of("cache_type", "users")).status())
        .isEqualTo(403);
    assertThat(admin.post("/api/cache/clear", Map.of("cache_type", "users", "password", PASSWORD))
        .status()).isEqualTo(200);
  }

  @Test
  void cookieStoreSessionsAreEndedEverywhereThroughTheRevocationStore() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    try (TodoDemo cookies = TodoDemo.builder().port(0).dataDirectory(data.resolve("cookie"))
        .sessionUrl("cookie://?keys=" + CookieSessionStore.generateKey())
        .clock(clock).loginLimit(1000, Duration.ofMinutes(1)).start()) {
      ApiClient root = ApiClient.withCookies(cookies.uri());
      root.signUp("root", PASSWORD);
      ApiClient one = ApiClient.withCookies(cookies.uri());
      one.signUp("dana", PASSWORD);
      ApiClient two = ApiClient.withCookies(cookies.uri());
      two.login("dana", PASSWORD);
      assertThat(one.get("/api/auth/sessions").status()).as("cookies cannot be listed")
          .isEqualTo(409);

      clock.advance(Duration.ofSeconds(1));
      Reply ended = one.delete("/api/auth/sessions");
      assertThat(ended.status()).isEqualTo(200);
      assertThat(ended.json().get("signed_in").asBoolean()).isFalse();
      assertThat(two.get("/api/auth/me").status()).isEqualTo(401);
      assertThat(one.get("/api/auth/me").status()).isEqualTo(401);
      assertThat(root.get("/api/auth/me").status()).as("other users keep theirs").isEqualTo(200);

      clock.advance(Duration.ofSeconds(1));
      one.login("dana", PASSWORD);
      assertThat(one.get("/api/auth/me").status()).as("a later login works").isEqualTo(200);
      clock.advance(Duration.ofSeconds(1));
      assertThat(root.post("/api/cache/clear",
          Map.of("cache_type", "sessions", "password", PASSWORD)).status()).isEqualTo(200);
      assertThat(one.get("/api/auth/me").status()).isEqualTo(401);
    }
  }

  @Test
  void trustedProxiesNameTheClientForTheLoginLimit() {
    try (TodoDemo proxied = TodoDemo.builder().port(0).dataDirectory(data.resolve("proxied"))
        .loginLimit(2, Duration.ofMinutes(1))
        .trustedProxies(TrustedProxies.of("127.0.0.1", "::1"))
        .start()) {
      ApiClient first = ApiClient.withCookies(proxied.uri()).header("X-Forwarded-For", "203.0.113.5");
      for (int i = 0; i < 2; i++) {
        assertThat(first.post("/api/auth/login", Map.of("username", "x", "password", "wrong pw"))
            .status()).isEqualTo(401);
      }
      assertThat(first.post("/api/auth/login", Map.of("username", "x", "password", "wrong pw"))
          .status()).isEqualTo(429);
      ApiClient second = ApiClient.withCookies(proxied.uri())
          .header("X-Forwarded-For", "203.0.113.6");
      assertThat(second.post("/api/auth/login", Map.of("username", "x", "password", "wrong pw"))
          .status()).as("another client behind the proxy").isEqualTo(401);
      assertThat(second.post("/api/auth/token", Map.of("username", "x", "password", "wrong pw"))
          .status()).isEqualTo(401);
      assertThat(second.post("/api/auth/token", Map.of("username", "x", "password", "wrong pw"))
          .status()).as("logins and tokens share one count of password guesses").isEqualTo(429);
    }
  }
}
