package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /metrics}: every meter in the Prometheus text format. */
final class MetricsServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient DemoMetrics metrics;

  MetricsServlet(DemoMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.setAttribute(RequestMetricsFilter.ROUTE, "/metrics");
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(metrics.scrape());
  }
}
