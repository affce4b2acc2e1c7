package dev.hoard.cli.proxy;

import dev.hoard.cache.Cache;
import dev.hoard.servlet.ResponseCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A caching reverse proxy to one origin: Jetty 12's non-blocking proxy behind a {@link
 * ResponseCacheFilter} whose responses live in any Hoard {@link Cache}, so that every node given
 * the same store shares one cache and one purge. Start one with {@link #builder(URI, Cache)};
 * {@link #close()} stops it gracefully (requests in flight finish, for up to the stop timeout).
 */
public final class CachingProxy implements AutoCloseable {

  /** Where the Prometheus meters are served. */
  public static final String METRICS_PATH = "/metrics";

  private final Server server;
  private final ResponseCacheFilter filter;
  private final URI uri;

  private CachingProxy(Server server, ResponseCacheFilter filter, URI uri) {
    this.server = server;
    this.filter = filter;
    this.uri = uri;
  }

  /** Starts configuring a proxy to {@code origin} ({@code http://host:port}) caching in {@code cache}. */
  public static Builder builder(URI origin, Cache cache) {
    return new Builder(origin, cache);
  }

  /** The address the proxy serves on, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return uri;
  }

  /** The cache filter in front of the origin, to purge from code. */
  public ResponseCacheFilter filter() {
    return filter;
  }

  /** Waits until the proxy has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting requests, lets those in flight finish (up to the stop timeout), and stops. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("the proxy at " + uri + " did not stop cleanly", e);
    }
  }

  /** Configures a {@link CachingProxy}. */
  public static final class Builder {
    private final URI origin;
    private final Cache cache;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int maximumBodySize = 1 << 20;
    private Duration defaultTtl;
    private String purgeToken;
    private boolean via;
    private Consumer<String> accessLog;
    private Duration stopTimeout = Duration.ofSeconds(10);

    private Builder(URI origin, Cache cache) {
      this.origin = Objects.requireNonNull(origin, "origin");
      this.cache = Objects.requireNonNull(cache, "cache");
      if (!"http".equals(origin.getScheme()) && !"https".equals(origin.getScheme())
          || origin.getHost() == null) {
        throw new IllegalArgumentException(
            "the origin must be an http(s) URL such as http://origin:8000, was " + origin);
      }
    }

    /** The address to listen on; 127.0.0.1 unless set. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, 0 for any free one; 8080 unless set. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** The largest body kept in the cache; larger ones stream through. 1 MiB unless set. */
    public Builder maximumBodySize(int bytes) {
      this.maximumBodySize = bytes;
      return this;
    }

    /** Freshness for responses without their own; none (zero) unless set. */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = ttl == null || ttl.isZero() ? null : ttl;
      return this;
    }

    /** The bearer token purges need; without one, purges come from loopback only. */
    public Builder purgeToken(String token) {
      this.purgeToken = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Whether to add {@code Via} to requests and responses; off unless set. */
    public Builder via(boolean via) {
      this.via = via;
      return this;
    }

    /** Where access log lines go; none unless set. */
    public Builder accessLog(Consumer<String> lines) {
      this.accessLog = lines;
      return this;
    }

    /** How long a stop waits for requests in flight; ten seconds unless set. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "stopTimeout");
      return this;
    }

    /** Starts the proxy. */
    public CachingProxy start() {
      ResponseCacheFilter.Builder filter = ResponseCacheFilter.builder(cache)
          .maximumBodySize(maximumBodySize)
          .keyOrigin(origin.getScheme() + "://" + origin.getRawAuthority())
          .excludePaths(METRICS_PATH, "/_hoard/*");
      if (defaultTtl != null) {
        filter.defaultTtl(defaultTtl);
      }
      ResponseCacheFilter cacheFilter = filter.build();
      ProxyTraffic traffic = new ProxyTraffic(cache, accessLog);

      QueuedThreadPool threads = new QueuedThreadPool(200, 8);
      threads.setName("hoard-proxy");
      Server server = new Server(threads);
      HttpConfiguration http = new HttpConfiguration();
      http.setHeaderCacheCaseSensitive(true);
      http.setSendServerVersion(false);
      http.setSendDateHeader(false);
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setHost(host);
      connector.setPort(port);
      server.addConnector(connector);

      ServletContextHandler context = new ServletContextHandler("/");
      FilterHolder purge = new FilterHolder(new PurgeFilter(cacheFilter, purgeToken));
      purge.setAsyncSupported(true);
      context.addFilter(purge, "/*", EnumSet.of(DispatcherType.REQUEST));
      FilterHolder caching = new FilterHolder(cacheFilter);
      caching.setAsyncSupported(true);
      context.addFilter(caching, "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder("metrics", new MetricsServlet(traffic)), METRICS_PATH);
      ServletHolder proxy = new ServletHolder("origin", new OriginProxyServlet(via));
      proxy.setAsyncSupported(true);
      proxy.setInitParameter("proxyTo", origin.toString());
      proxy.setInitParameter("maxConnections", "256");
      proxy.setInitParameter("timeout", "60000");
      context.addServlet(proxy, "/*");

      server.setHandler(new GracefulHandler(context));
      server.setRequestLog(traffic);
      server.setStopTimeout(stopTimeout.toMillis());
      server.setStopAtShutdown(false);
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception ignored) {
          e.addSuppressed(ignored);
        }
        throw new IllegalStateException("the proxy could not listen on " + host + ":" + port
            + ": " + e.getMessage(), e);
      }
      String shown = host.contains(":") ? "[" + host + "]" : host;
      return new CachingProxy(server, cacheFilter,
          URI.create("http://" + shown + ":" + connector.getLocalPort()));
    }
  }

  /** {@code GET /metrics}: the proxy's meters in the Prometheus text format. */
  private static final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ProxyTraffic traffic;

    MetricsServlet(ProxyTraffic traffic) {
      this.traffic = traffic;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain; version=0.0.4; charset=utf-8");
      response.setHeader("Cache-Control", "no-store");
      response.getWriter().write(traffic.scrape());
    }
  }
}
