package dev.hoard.redis.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.SessionStoreUnavailableException;
import dev.hoard.session.Sessions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Sessions.open} on a Redis that is down (a server of the test's own, killed) opens anyway,
 * answers {@link SessionStoreUnavailableException} while the server is away, and works once it
 * comes up, with no reopening by the application.
 */
class RedisSessionsStartWithRedisDownIT {

  private static final ClientInfo CLIENT = new ClientInfo("10.0.0.9", "curl/8");

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.noServerYet();

  @Test
  void opensWithRedisDownAndWorksWhenItComesUp() {
    int port = redis.servers().startServer();
    redis.servers().kill(port);

    try (SessionManager sessions = Sessions.open("redis://127.0.0.1:" + port + "?timeout=2s")) {
      assertThat(sessions.backend().description()).contains("127.0.0.1:" + port)
          .contains("connecting");
      assertThat(sessions.isStoreAvailable()).isFalse();
      Session session = sessions.open(null, CLIENT);
      session.put("theme", "dark");
      assertThatThrownBy(() -> sessions.save(session))
          .isInstanceOf(SessionStoreUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .satisfies(e -> assertThat(((SessionStoreUnavailableException) e).retryAfter())
              .isPositive());

      redis.servers().restart(port);
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(sessions::isStoreAvailable);
      String token = sessions.save(session);
      assertThat(sessions.find(token, CLIENT)).get()
          .extracting(live -> live.get("theme", String.class)).isEqualTo("dark");
      assertThat(sessions.backend().description()).doesNotContain("connecting");
    }
  }

  @Test
  void aBadUrlStillFailsAtOnce() {
    int nobody = RedisServers.freePort();
    assertThatThrownBy(() -> Sessions.open("redis://127.0.0.1:" + nobody + "?timeuot=2s"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeuot");
    assertThatThrownBy(() -> Sessions.open("redis://127.0.0.1:" + nobody + "?prefix=hoard:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hoard:c:");
  }
}
