package dev.hoard.session.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.memory.MemorySessionStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionMetricsTest {

  private static final ClientInfo CLIENT = new ClientInfo("10.0.0.1", "Firefox/140");

  @Test
  void active_started_and_destroyed_by_reason() {
    ManualClock clock = new ManualClock();
    SessionMetrics metrics = new SessionMetrics(Tags.of("sessions", "web"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    try (SessionManager manager = SessionManager.builder(
            MemorySessionStore.builder().clock(clock).build())
        .clock(clock).idleTimeout(Duration.ofMinutes(30)).purgeInterval(Duration.ZERO)
        .listener(metrics).build()) {
      String first = newSession(manager);
      newSession(manager);
      Session bob = manager.open(null, CLIENT);
      bob.bindUser("bob");
      manager.save(bob);

      Session ending = manager.open(first, CLIENT);
      ending.invalidate();
      manager.save(ending);
      assertThat(manager.revokeUser("bob")).isEqualTo(1);
    }

    assertThat(registry.get("hoard.sessions.started").tag("sessions", "web")
        .functionCounter().count()).isEqualTo(3);
    assertThat(registry.get("hoard.sessions.destroyed").tag("reason", "invalidated")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hoard.sessions.destroyed").tag("reason", "revoked")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hoard.sessions.active").gauge().value()).isEqualTo(1);
    assertThat(metrics.destroyed(DestroyReason.EXPIRED)).isZero();
  }

  private static String newSession(SessionManager manager) {
    Session session = manager.open(null, CLIENT);
    session.put("user", "alice");
    return manager.save(session);
  }
}
