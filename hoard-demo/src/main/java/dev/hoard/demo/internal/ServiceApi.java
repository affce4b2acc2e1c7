package dev.hoard.demo.internal;

import dev.hoard.session.SessionManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code /health} and {@code /api/dashboard}, the numbers the dashboard page polls. */
final class ServiceApi {

  private static final String DASHBOARD = "/api/dashboard";

  private final TodoDatabase database;
  private final DemoCaches caches;
  private final SessionManager sessions;
  private final DemoMetrics metrics;
  private final Clock clock;

  ServiceApi(TodoDatabase database, DemoCaches caches, SessionManager sessions, DemoMetrics metrics,
      Clock clock) {
    this.database = database;
    this.caches = caches;
    this.sessions = sessions;
    this.metrics = metrics;
    this.clock = clock;
  }

  void register(Routes routes) {
    routes.get("/health", exchange -> health())
        .get(DASHBOARD, exchange -> dashboard());
  }

  /**
   * 200 while the database answers, else 503. A cache outage only slows the service down and a
   * session store outage only stops what needs a session (503 with Retry-After there): both are
   * {@code degraded}. The session store is asked through its circuit breaker, so while that is
   * open this costs no timeout.
   */
  private Object health() {
    boolean databaseUp = database.isHealthy();
    boolean cacheUp = caches.answers();
    boolean sessionsUp = sessions.isStoreAvailable();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", !databaseUp ? "down" : cacheUp && sessionsUp ? "ok" : "degraded");
    body.put("database", databaseUp ? "up" : "down");
    body.put("cache", cacheUp ? "up" : "down");
    body.put("sessions", sessionsUp ? "up" : "down");
    body.put("timestamp", clock.instant());
    return new Reply(databaseUp ? 200 : 503, body);
  }

  /**
   * Running totals; the page turns them into rates and latencies by differencing two polls, so no
   * sample is lost between polls and the server keeps no history.
   */
  private Object dashboard() {
    MeterRegistry registry = metrics.registry();
    Map<String, Object> cachesBody = new LinkedHashMap<>();
    Map<String, Object> stats = CacheApi.cacheStats(caches);
    for (String name : caches.byName().keySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> one = new LinkedHashMap<>((Map<String, Object>) stats.get(name));
      Timer reads = registry.find(DemoMetrics.CACHE_READS).tag("cache", name).timer();
      one.put("reads", reads == null ? 0 : reads.count());
      one.put("read_time_ms", reads == null ? 0 : reads.totalTime(TimeUnit.MILLISECONDS));
      cachesBody.put(name, one);
    }
    double rejections = registry.find(DemoMetrics.RATE_LIMIT_REJECTIONS).counters().stream()
        .mapToDouble(Counter::count).sum();
    long requests = 0;
    double requestMillis = 0;
    for (Timer timer : registry.find(DemoMetrics.REQUESTS).timers()) {
      // The page's own polls would drown what it is there to show.
      if (DASHBOARD.equals(timer.getId().getTag("uri"))) {
        continue;
      }
      requests += timer.count();
      requestMillis += timer.totalTime(TimeUnit.MILLISECONDS);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("timestamp", clock.instant());
    body.put("caches", cachesBody);
    body.put("sessions", Map.of(
        "active", metrics.activeSessions(),
        "created", metrics.sessionsCreated(),
        "destroyed", metrics.sessionsDestroyed()));
    body.put("rate_limit", Map.of("rejections", (long) rejections));
    body.put("requests", Map.of("count", requests, "time_ms", requestMillis));
    return body;
  }
}
