package dev.hoard.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;

/** An embedded Jetty 12 (ee10) on a free loopback port: a servlet, optionally behind a filter. */
final class CachingServer implements AutoCloseable {

  private final Server server;
  private final StatisticsHandler statistics;
  private final URI base;

  private CachingServer(Server server, StatisticsHandler statistics, URI base) {
    this.server = server;
    this.statistics = statistics;
    this.base = base;
  }

  /** Starts {@code servlet} at {@code /*}, behind {@code filter} when it is not null. */
  static CachingServer start(Filter filter, HttpServlet servlet) throws Exception {
    return start(filter, servlet, Map.of());
  }

  /** {@link #start(Filter, HttpServlet)} with servlet init parameters. */
  static CachingServer start(Filter filter, HttpServlet servlet, Map<String, String> parameters)
      throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Jetty's header cache otherwise matches repeated header values ignoring case (issue 12).
    http.setHeaderCacheCaseSensitive(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    if (filter != null) {
      FilterHolder holder = new FilterHolder(filter);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    ServletHolder holder = new ServletHolder(servlet);
    holder.setAsyncSupported(true);
    holder.setInitParameters(parameters);
    context.addServlet(holder, "/*");
    StatisticsHandler statistics = new StatisticsHandler(context);
    server.setHandler(statistics);
    server.start();
    return new CachingServer(server, statistics,
        URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  /** How many requests the server is handling right now. */
  int activeRequests() {
    return statistics.getRequestsActive();
  }

  /** The absolute URI of a path on this server. */
  URI uri(String pathAndQuery) {
    return base.resolve(pathAndQuery);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
