package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's meters, in one Prometheus registry: every cache's statistics, cache-aside read
 * latency per cache, sessions begun and ended, login rejections, HTTP request latency, and the
 * JVM's basics.
 */
final class DemoMetrics {

  static final String CACHE_READS = "hoard.cache.reads";
  static final String SESSIONS_ACTIVE = "hoard.sessions.active";
  // Not "created": Prometheus reserves the _created suffix of counters for their start time.
  static final String SESSIONS_CREATED = "hoard.sessions.started";
  static final String SESSIONS_DESTROYED = "hoard.sessions.destroyed";
  static final String RATE_LIMIT_REJECTIONS = "hoard.ratelimit.rejections";
  static final String REQUESTS = "http.server.requests";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong destroyed = new AtomicLong();
  private final Counter createdCounter;

  DemoMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // Sessions that expire inside a backend are reported when Hoard next sees them, so this is
    // the count of sessions begun and not yet seen to end.
    Gauge.builder(SESSIONS_ACTIVE, () -> Math.max(0, created.get() - destroyed.get()))
        .description("sessions created and not yet seen to end")
        .register(registry);
    createdCounter = Counter.builder(SESSIONS_CREATED).description("sessions begun").register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  void bind(String name, Cache cache) {
    new CacheMetrics(cache, name).bindTo(registry);
  }

  /** Times cache-aside reads of one cache: hits and loads alike, as the caller waits for them. */
  Timer cacheReads(String name) {
    return Timer.builder(CACHE_READS)
        .tag("cache", name)
        .description("time to answer a cache-aside read, hit or load")
        .register(registry);
  }

  Counter rateLimitRejections(String limit) {
    return Counter.builder(RATE_LIMIT_REJECTIONS)
        .tag("limit", limit)
        .description("requests refused with 429")
        .register(registry);
  }

  void sessionCreated() {
    created.incrementAndGet();
    createdCounter.increment();
  }

  void sessionDestroyed(String reason) {
    destroyed.incrementAndGet();
    Counter.builder(SESSIONS_DESTROYED)
        .tag("reason", reason)
        .description("sessions ended")
        .register(registry)
        .increment();
  }

  long sessionsCreated() {
    return created.get();
  }

  long sessionsDestroyed() {
    return destroyed.get();
  }

  long activeSessions() {
    return Math.max(0, created.get() - destroyed.get());
  }

  /** Every meter in the Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }
}
