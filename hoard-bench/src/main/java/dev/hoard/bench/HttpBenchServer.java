package dev.hoard.bench;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.servlet.ResponseCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server {@code hoard-bench/scripts/http-bench} drives with wrk: one embedded Jetty 12 (ee10)
 * on loopback with the same two servlets bare and behind Hoard's filters, so each pair differs
 * only by the filter.
 *
 * <ul>
 *   <li>{@code /static}: a servlet writing a fixed 2 KiB body, the ceiling of this server;
 *   <li>{@code /page}: a servlet that renders a 2 KiB page from a small model on every request
 *       ({@code Cache-Control: public, max-age=60}), the baseline a response cache must beat;
 *   <li>{@code /cached/page} and {@code /cached/static}: the same servlets behind {@link
 *       ResponseCacheFilter} on a memory cache: after the first request every one is a hit.
 * </ul>
 *
 * <p>Run: {@code java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.HttpBenchServer PORT}
 * (it prints {@code ready} once it listens on 127.0.0.1:PORT).
 */
public final class HttpBenchServer {

  private static final int ROWS = 40;
  private static final byte[] STATIC_BODY = page(0).getBytes(StandardCharsets.UTF_8);

  private HttpBenchServer() {}

  /** Arguments: the loopback port. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    QueuedThreadPool threads = new QueuedThreadPool(64, 8);
    threads.setName("bench-http");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);

    Cache responses = Cache.builder(MemoryCacheStore.builder().maximumSize(10_000).build())
        .name("http").build();
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    addFilter(context, ResponseCacheFilter.builder(responses).build(), "/cached/*");
    addServlet(context, new StaticServlet(), "/static", "/cached/static");
    addServlet(context, new PageServlet(), "/page", "/cached/page");
    server.setHandler(context);
    server.start();
    System.out.println("ready on http://127.0.0.1:" + port);
    server.join();
  }

  private static void addFilter(ServletContextHandler context, Filter filter, String path) {
    context.addFilter(new FilterHolder(filter), path, EnumSet.of(DispatcherType.REQUEST));
  }

  private static void addServlet(ServletContextHandler context, HttpServlet servlet,
      String... paths) {
    ServletHolder holder = new ServletHolder(servlet);
    for (String path : paths) {
      context.addServlet(holder, path);
    }
  }

  /** The same 2 KiB bytes on every request. */
  private static final class StaticServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/html;charset=utf-8");
      response.setHeader("Cache-Control", "public, max-age=60");
      response.setContentLength(STATIC_BODY.length);
      response.getOutputStream().write(STATIC_BODY);
    }
  }

  /** Renders a page on every request, as a template engine over a small model would. */
  private static final class PageServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      byte[] body = page(request.getRequestURI().length()).getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/html;charset=utf-8");
      response.setHeader("Cache-Control", "public, max-age=60");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  private static String page(int seed) {
    StringBuilder html = new StringBuilder(2048);
    html.append("<!doctype html><html><head><title>Todos</title></head><body><table>");
    for (int i = 0; i < ROWS; i++) {
      html.append("<tr><td>").append(i).append("</td><td>")
          .append(String.format("todo %04d for user %d", i * 31 + seed, seed % 7))
          .append("</td></tr>");
    }
    return html.append("</table></body></html>").toString();
  }
}
