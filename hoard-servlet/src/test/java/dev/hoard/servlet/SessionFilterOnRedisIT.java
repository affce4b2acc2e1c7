package dev.hoard.servlet;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@link SessionFilterTest}'s scenarios with the sessions on the shared Redis server. */
class SessionFilterOnRedisIT extends SessionFilterTest.Scenarios {

  @Override
  SessionManager openManager() {
    String server = System.getenv().getOrDefault("HOARD_REDIS_URL", "redis://127.0.0.1:6379/0");
    return Sessions.open(server + "?prefix=hoard-test:SessionFilterOnRedisIT:" + UUID.randomUUID()
        + ":", new ManualClock());
  }

  @Test
  void twentyConcurrentRequestsOnOneSessionLoseNothing() throws Exception {
    assertConcurrentRequestsLoseNothing();
  }
}
