package dev.hoard.bench;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.servlet.ResponseCacheFilter;
import dev.hoard.servlet.SessionFilter;
import dev.hoard.session.Sessions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

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
 *       ResponseCacheFilter} on a memory cache: after the first request every one is a hit;
 *   <li>{@code /hoard-memory}, {@code /hoard-redis} and {@code /spring-redis}: the same session
 *       servlet ({@code /login} puts a user in the session, {@code /read} reads it back) behind
 *       Hoard's {@link SessionFilter} on the memory and Redis session stores, and behind Spring
 *       Session's {@link SessionRepositoryFilter} with its {@link RedisSessionRepository} (the
 *       repository {@code @EnableRedisHttpSession} sets up) on the same Redis.
 * </ul>
 *
 * <p>Run: {@code java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.HttpBenchServer PORT}
 * (it prints {@code ready} once it listens on 127.0.0.1:PORT). Redis is {@code
 * hoard.bench.redis} / {@code HOARD_BENCH_REDIS} (see {@link BenchServers}), 127.0.0.1:6379 unless set; keys go under a fresh
 * {@code hoard-bench:} prefix.
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
    HttpConfiguration http = new HttpConfiguration();
    // Jetty's header cache otherwise matches repeated header values ignoring case (issue 12).
    http.setHeaderCacheCaseSensitive(true);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);

    Cache responses = Cache.builder(MemoryCacheStore.builder().maximumSize(10_000).build())
        .name("http").build();
    ServletContextHandler pages = new ServletContextHandler();
    pages.setContextPath("/");
    addFilter(pages, ResponseCacheFilter.builder(responses).build(), "/cached/*");
    addServlet(pages, new StaticServlet(), "/static", "/cached/static");
    addServlet(pages, new PageServlet(), "/page", "/cached/page");

    String redisHost = BenchServers.redisHost();
    int redisPort = BenchServers.redisPort();
    String run = UUID.randomUUID().toString().substring(0, 8);
    Filter hoardMemory = SessionFilter.builder(Sessions.open("memory://")).build();
    Filter hoardRedis = SessionFilter.builder(Sessions.open("redis://" + redisHost + ":" + redisPort
        + "/0?prefix=hoard-bench:" + run + ":hoard:")).build();
    Filter springRedis = springSessionFilter(redisHost, redisPort, "hoard-bench:" + run + ":spring");

    server.setHandler(new ContextHandlerCollection(pages,
        sessionContext("/hoard-memory", hoardMemory),
        sessionContext("/hoard-redis", hoardRedis),
        sessionContext("/spring-redis", springRedis)));
    server.start();
    System.out.println("ready on http://127.0.0.1:" + port);
    server.join();
  }

  private static void addFilter(ServletContextHandler context, Filter filter, String... paths) {
    FilterHolder holder = new FilterHolder(filter);
    for (String path : paths) {
      context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
    }
  }

  private static ServletContextHandler sessionContext(String path, Filter sessions) {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(path);
    addFilter(context, sessions, "/*");
    addServlet(context, new SessionServlet(), "/login", "/read");
    return context;
  }

  /** Spring Session as {@code @EnableRedisHttpSession} would set it up, without a Spring context. */
  private static Filter springSessionFilter(String host, int port, String namespace) {
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
    connections.afterPropertiesSet();
    connections.start();
    RedisTemplate<String, Object> template = new RedisTemplate<>();
    template.setConnectionFactory(connections);
    template.setKeySerializer(RedisSerializer.string());
    template.setHashKeySerializer(RedisSerializer.string());
    template.afterPropertiesSet();
    RedisSessionRepository repository = new RedisSessionRepository(template);
    repository.setRedisKeyNamespace(namespace);
    return new SessionRepositoryFilter<>(repository);
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
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/html;charset=utf-8");
      response.setHeader("Cache-Control", "public, max-age=60");
      response.setContentLength(STATIC_BODY.length);
      response.getOutputStream().write(STATIC_BODY);
    }
  }

  /** {@code /login} puts a user in a new session; {@code /read} reads it from the existing one. */
  private static final class SessionServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=utf-8");
      if (request.getServletPath().equals("/login")) {
        request.getSession().setAttribute("user", "ada");
        response.getWriter().write("logged in");
        return;
      }
      HttpSession session = request.getSession(false);
      Object user = session == null ? null : session.getAttribute("user");
      if (user == null) {
        response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "no session");
        return;
      }
      response.getWriter().write("hello " + user);
    }
  }

  /** Renders a page on every request, as a template engine over a small model would. */
  private static final class PageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

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
