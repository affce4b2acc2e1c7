package dev.hoard.spring.boot.autoconfigure;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.session.SessionManager;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator health of one Hoard store: {@code UP}, or {@code DEGRADED} while the store fails and
 * Hoard fails open (cache reads miss and writes are dropped; requests needing a session get 503).
 * A cache outage slows the application rather than breaking it, so it is not {@code DOWN}: add
 * {@code DEGRADED} to {@code management.endpoint.health.status.order} to let it show in the total.
 */
final class StoreHealth {

  /** The status of a store that fails while Hoard keeps the application serving. */
  static final Status DEGRADED = new Status("DEGRADED",
      "the store is failing; Hoard fails open, so cache reads miss and writes are dropped");

  private StoreHealth() {}

  /**
   * A cache store's health, found by writing and reading back a probe under this process's own
   * scope (so nodes probing one store never read each other's probe). Through the circuit
   * breaker, a probe of a store known to be down costs no timeout.
   */
  static HealthIndicator of(Cache cache) {
    Cache probes = cache.scoped("health", UUID.randomUUID().toString());
    return () -> {
      String probe = UUID.randomUUID().toString();
      probes.put("probe", probe, Duration.ofSeconds(30));
      boolean answers = probe.equals(probes.get("probe", String.class));
      CacheStats stats = cache.stats();
      return Health.status(answers ? Status.UP : DEGRADED)
          .withDetail("cache", cache.name())
          .withDetail("hits", stats.hits())
          .withDetail("misses", stats.misses())
          .withDetail("errors", stats.errors())
          .withDetail("droppedWrites", stats.droppedWrites())
          .build();
    };
  }

  /** A session store's health, asked through its circuit breaker. */
  static HealthIndicator of(SessionManager sessions) {
    return () -> Health.status(sessions.isStoreAvailable() ? Status.UP : DEGRADED).build();
  }
}
