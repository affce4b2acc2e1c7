package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.demo.ApiClient.Reply;
import dev.hoard.redis.testing.PrivateRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo with its sessions on a Redis that is down when it starts (a server of the test's own,
 * killed): it starts anyway, says {@code degraded} in {@code /health}, registers users in its
 * database, answers logins {@code 503} with {@code Retry-After} (never a session that would vanish
 * later), and once Redis is up says {@code ok} and logs users in, with no restart.
 */
class DemoWithRedisDownIT {

  private static final String PASSWORD = "correct horse battery";

  @TempDir Path data;

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.noServerYet();
  private TodoDemo demo;

  @AfterEach
  void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void startsWithSessionsDownAndRecoversWhenRedisComesUp() {
    int port = redis.servers().startServer();
    redis.servers().kill(port);

    demo = TodoDemo.builder().port(0).dataDirectory(data)
        .sessionUrl("redis://127.0.0.1:" + port + "?timeout=2s")
        .loginLimit(100, Duration.ofMinutes(1))
        .start();
    ApiClient client = ApiClient.withoutCookies(demo.uri());

    Reply health = client.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("degraded");
    assertThat(health.json().get("sessions").asText()).isEqualTo("down");
    assertThat(health.json().get("database").asText()).isEqualTo("up");

    assertThat(client.post("/api/auth/register", Map.of("username", "alice", "password", PASSWORD))
        .status()).as("registering needs only the database").isEqualTo(201);
    Reply refused =
        client.post("/api/auth/login", Map.of("username", "alice", "password", PASSWORD));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.raw().headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(refused.json().get("error").asText()).isEqualTo("session_store_unavailable");

    redis.servers().restart(port);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.get("/health").json().get("status").asText().equals("ok"));
    String session = client.login("alice", PASSWORD);
    Reply me = ApiClient.withoutCookies(demo.uri()).header("X-Session-ID", session)
        .get("/api/auth/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.text()).contains("alice");
  }

  @Test
  void startsWithItsCacheDownServesLoginsFromTheDatabaseAndUsesTheCacheOnceRedisIsUp() {
    int port = redis.servers().startServer();
    redis.servers().kill(port);

    demo = TodoDemo.builder().port(0).dataDirectory(data)
        .cacheUrl("redis://127.0.0.1:" + port + "?prefix=down-demo:c:&timeout=2s")
        .loginLimit(100, Duration.ofMinutes(1))
        .start();
    ApiClient client = ApiClient.withoutCookies(demo.uri());

    Reply health = client.get("/health");
    assertThat(health.json().get("status").asText()).isEqualTo("degraded");
    assertThat(health.json().get("cache").asText()).isEqualTo("down");
    assertThat(client.post("/api/auth/register", Map.of("username", "bob", "password", PASSWORD))
        .status()).isEqualTo(201);
    String session = client.login("bob", PASSWORD);
    Reply me = ApiClient.withoutCookies(demo.uri()).header("X-Session-ID", session)
        .get("/api/auth/me");
    assertThat(me.status()).as("the profile comes from the database").isEqualTo(200);
    assertThat(me.text()).contains("bob");

    redis.servers().restart(port);
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.get("/health").json().get("cache").asText().equals("up"));
    assertThat(client.get("/health").json().get("status").asText()).isEqualTo("ok");
  }
}
