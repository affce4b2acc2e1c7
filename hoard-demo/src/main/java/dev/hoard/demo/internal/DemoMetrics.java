package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.metrics.CacheMetrics;
import dev.hoard.metrics.RateLimiterMetrics;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.metrics.SessionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The demo's meters, in one Prometheus registry: the library's binders for every cache, the
 * sessions and the rate limits, plus what only the demo knows (cache-aside read latency per cache,
 * HTTP request latency) and the JVM's basics.
 */
final class DemoMetrics {

  static final String CACHE_READS = "hoard.cache.reads";
  static final String RATE_LIMIT_REJECTIONS = "hoard.ratelimit.rejections";
  static final String REQUESTS = "http.server.requests";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final SessionMetrics sessions = new SessionMetrics(Tags.empty());

  DemoMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    sessions.bindTo(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  void bind(String name, Cache cache) {
    new CacheMetrics(cache, name, Tags.empty()).bindTo(registry);
  }

  /** Times cache-aside reads of one cache: hits and loads alike, as the caller waits for them. */
  Timer cacheReads(String name) {
    return Timer.builder(CACHE_READS)
        .tag("cache", name)
        .description("time to answer a cache-aside read, hit or load")
        .register(registry);
  }

  /** {@code limiter}, counting its refusals into {@code hoard.ratelimit.rejections}. */
  RateLimiter counted(RateLimiter limiter) {
    RateLimiterMetrics counted = new RateLimiterMetrics(limiter, Tags.empty());
    counted.bindTo(registry);
    return counted;
  }

  /** The session manager's listener that feeds the session meters. */
  SessionMetrics sessions() {
    return sessions;
  }

  long sessionsCreated() {
    return sessions.started();
  }

  long sessionsDestroyed() {
    long ended = 0;
    for (DestroyReason reason : DestroyReason.values()) {
      ended += sessions.destroyed(reason);
    }
    return ended;
  }

  long activeSessions() {
    return sessions.active();
  }

  /** Every meter in the Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }
}
