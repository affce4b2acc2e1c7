package dev.hoard.servlet.testing;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 on a free loopback port with filters in front of one servlet. Its header cache
 * is case-sensitive, as the README tells users of SessionFilter to configure (issue 12, defect 3).
 */
public final class EmbeddedJetty implements AutoCloseable {

  private final Server server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI base;

  private EmbeddedJetty(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  /** Starts Jetty with {@code filters} on every path, in order, in front of {@code servlet}. */
  public static EmbeddedJetty start(HttpServlet servlet, Filter... filters) {
    return start(hardened(), servlet, filters);
  }

  /**
   * Like {@link #start(HttpServlet, Filter...)} but with Jetty's default header cache, which
   * matches header values ignoring case, to show what the hardened setting defends against.
   */
  public static EmbeddedJetty startWithDefaultHeaderCache(HttpServlet servlet, Filter... filters) {
    return start(new HttpConfiguration(), servlet, filters);
  }

  /**
   * Like {@link #start(HttpServlet, Filter...)} but accepting every request target Jetty can be
   * told to accept ({@code //}, {@code %2F}, {@code %2E}: {@link UriCompliance#UNSAFE}, ambiguous
   * URIs decoded for the servlet API), as lenient containers and routers do.
   */
  public static EmbeddedJetty startLenient(HttpServlet servlet, Filter... filters) {
    HttpConfiguration config = hardened();
    config.setUriCompliance(UriCompliance.UNSAFE);
    return start(config, servlet, filters);
  }

  private static HttpConfiguration hardened() {
    HttpConfiguration config = new HttpConfiguration();
    config.setHeaderCacheCaseSensitive(true);
    return config;
  }

  /**
   * Like {@link #start(HttpServlet, Filter...)}, but Jetty takes the scheme from {@code
   * X-Forwarded-Proto} / {@code Forwarded}, as behind a TLS-terminating proxy: {@code
   * request.isSecure()} is then true for {@code https}.
   */
  public static EmbeddedJetty startBehindTlsProxy(HttpServlet servlet, Filter... filters) {
    HttpConfiguration config = hardened();
    ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();
    forwarded.setForwardedForHeader("X-Not-Used-For");
    config.addCustomizer(forwarded);
    return start(config, servlet, filters);
  }

  private static EmbeddedJetty start(HttpConfiguration config, HttpServlet servlet,
      Filter... filters) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    for (Filter filter : filters) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(servlet), "/*");
    context.getServletHandler().setDecodeAmbiguousURIs(
        config.getUriCompliance() == UriCompliance.UNSAFE);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not start", e);
    }
    return new EmbeddedJetty(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  /** Starts Jetty with {@code filter} on every path in front of {@code servlet}. */
  public static EmbeddedJetty start(Filter filter, HttpServlet servlet) {
    return start(servlet, filter);
  }

  /** The port the server listens on, for raw sockets. */
  public int port() {
    return base.getPort();
  }

  /** A request builder for {@code path} on this server. */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path));
  }

  /** Sends {@code request} and reads the body as text. */
  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** GETs {@code path}. */
  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }
}
