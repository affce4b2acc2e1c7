package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.demo.ApiClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins are rate-limited per client address: 429 with Retry-After, counted, and recovered from. */
class LoginRateLimitTest {

  private static final String PASSWORD = "correct horse battery";

  @TempDir Path data;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private TodoDemo demo;

  @BeforeEach
  void start() {
    demo = TodoDemo.builder().port(0).dataDirectory(data).clock(clock)
        .loginLimit(5, Duration.ofMinutes(1))
        .start();
  }

  @AfterEach
  void stop() {
    demo.close();
  }

  @Test
  void repeatedLoginsGet429UntilTheWindowHasPassed() {
    ApiClient client = ApiClient.withCookies(demo.uri());
    assertThat(client.post("/api/auth/register", Map.of("username", "grace", "password", PASSWORD))
        .status()).isEqualTo(201);
    for (int i = 1; i <= 5; i++) {
      Reply wrong = client.post("/api/auth/login", Map.of("username", "grace", "password", "guess" + i));
      assertThat(wrong.status()).as("attempt %d", i).isEqualTo(401);
      assertThat(wrong.header("RateLimit-Limit")).isEqualTo("5");
      assertThat(wrong.header("RateLimit-Remaining")).isEqualTo(Integer.toString(5 - i));
    }

    Reply refused = client.post("/api/auth/login", Map.of("username", "grace", "password", PASSWORD));
    assertThat(refused.status()).as("even the right password waits").isEqualTo(429);
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertThat(refused.json().get("error").asText()).as("JSON like every error")
        .isEqualTo("too_many_requests");
    assertThat(refused.json().get("retry_after_seconds").asLong()).isEqualTo(retryAfter);
    // A sliding window: the last minute's attempts still weigh on part of the next one.
    assertThat(retryAfter).isBetween(1L, 120L);
    // Registration is not the login route: it is still open.
    assertThat(client.post("/api/auth/register", Map.of("username", "heidi", "password", PASSWORD))
        .status()).isEqualTo(201);
    assertThat(client.get("/metrics").text())
        .containsPattern("hoard_ratelimit_rejections_total\\{limit=\"demo-login\"[^}]*\\} 1\\.0");
    assertThat(client.get("/api/dashboard").json().at("/rate_limit/rejections").asLong())
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(retryAfter - 1));
    assertThat(client.post("/api/auth/login", Map.of("username", "grace", "password", PASSWORD))
        .status()).as("a second early").isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    Reply again = client.post("/api/auth/login", Map.of("username", "grace", "password", PASSWORD));
    assertThat(again.status()).isEqualTo(200);
  }
}
