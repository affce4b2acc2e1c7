package dev.hoard.cli.proxy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * What the proxy saw, told two ways once each request completes: an access log line (common log
 * format plus the cache status and the time taken) and Prometheus meters — requests by cache
 * status and status class, and the cache store's own hits, misses and errors.
 */
final class ProxyTraffic implements RequestLog {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Consumer<String> accessLog;
  /** One timer per cache status and status class, found without Micrometer's id lookup. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /** Counts into a new registry and writes lines to {@code accessLog}, if not null. */
  ProxyTraffic(Cache cache, Consumer<String> accessLog) {
    this.accessLog = accessLog;
    storeCounter("hoard.proxy.store.hits", "reads the cache store answered", cache, CacheStats::hits);
    storeCounter("hoard.proxy.store.misses", "reads the cache store missed", cache,
        CacheStats::misses);
    storeCounter("hoard.proxy.store.errors", "cache store failures (absorbed)", cache,
        CacheStats::errors);
  }

  private void storeCounter(String name, String description, Cache cache,
      ToDoubleFunction<CacheStats> count) {
    FunctionCounter.builder(name, cache, c -> count.applyAsDouble(c.stats()))
        .description(description).register(registry);
  }

  @Override
  public void log(Request request, Response response) {
    String cacheStatus = response.getHeaders().get("X-Cache");
    int status = response.getStatus();
    long nanos = System.nanoTime() - request.getBeginNanoTime();
    String label = cacheStatus == null ? "NONE" : cacheStatus;
    timers.computeIfAbsent(label + " " + status / 100, key -> Timer.builder("hoard.proxy.requests")
            .description("requests answered, by how the cache answered them")
            .tag("cache", label)
            .tag("status", status / 100 + "xx")
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (accessLog != null) {
      long written = Response.getContentBytesWritten(response);
      accessLog.accept(Request.getRemoteAddr(request) + " - - ["
          + TIME.format(Instant.ofEpochMilli(Request.getTimeStamp(request))) + "] \""
          + request.getMethod() + " " + request.getHttpURI().getPathQuery() + " "
          + request.getConnectionMetaData().getProtocol() + "\" " + status + " " + written + " "
          + (cacheStatus == null ? "-" : cacheStatus) + " "
          + TimeUnit.NANOSECONDS.toMicros(nanos) + "us");
    }
  }

  /** Every meter in the Prometheus text format. */
  String scrape() {
    return registry.scrape();
  }
}
