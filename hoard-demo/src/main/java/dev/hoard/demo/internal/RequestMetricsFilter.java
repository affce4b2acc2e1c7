package dev.hoard.demo.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Times every request into {@code http.server.requests}, tagged by method, route template (never
 * the raw path, so ids do not multiply the series) and status.
 */
final class RequestMetricsFilter extends HttpFilter {

  /** The request attribute where the API puts the template of the route it matched. */
  static final String ROUTE = "hoard.demo.route";

  private static final long serialVersionUID = 1L;
  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final transient MeterRegistry registry;

  RequestMetricsFilter(DemoMetrics metrics) {
    this.registry = metrics.registry();
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Timer.Sample sample = Timer.start(registry);
    try {
      chain.doFilter(request, response);
    } finally {
      Object route = request.getAttribute(ROUTE);
      sample.stop(Timer.builder(DemoMetrics.REQUESTS)
          .description("HTTP requests, by route")
          .tag("method", KNOWN_METHODS.contains(request.getMethod()) ? request.getMethod() : "other")
          .tag("uri", route != null ? route.toString() : "other")
          .tag("status", Integer.toString(response.getStatus()))
          .register(registry));
    }
  }
}
