package dev.hoard.demo.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.servlet.RateLimitFilter;
import dev.hoard.servlet.ResponseCacheFilter;
import dev.hoard.servlet.SessionFilter;
import dev.hoard.servlet.TrustedProxies;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import jakarta.servlet.DispatcherType;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running demo: the SQLite database, the caches, the metrics and an embedded Jetty serving
 * the API, {@code /metrics} and the dashboard. {@link dev.hoard.demo.TodoDemo} is its public face.
 */
public final class DemoServer implements AutoCloseable {

  /**
   * What to start.
   *
   * @param host the address to listen on
   * @param port the port, 0 for any free one
   * @param cacheUrl the cache store's URL
   * @param sessionUrl the session store's URL
   * @param dataDirectory where {@code todo.db} lives
   * @param loginLimit login requests allowed per client address per {@code loginWindow}
   * @param loginWindow the window of {@code loginLimit}
   * @param clock the clock of the caches, sessions, rate limits, tokens and timestamps
   * @param maxBodyBytes the largest request body read
   * @param trustedProxies the proxies whose forwarding header names the client
   * @param tokenKey the HS256 key of bearer tokens, null to make one at start
   * @param tokenLifetime how long a bearer token is accepted
   * @param ttls how long each kind of entry stays cached
   */
  public record Settings(
      String host, int port, String cacheUrl, String sessionUrl, Path dataDirectory,
      int loginLimit, Duration loginWindow, Clock clock, int maxBodyBytes,
      TrustedProxies trustedProxies, byte[] tokenKey, Duration tokenLifetime, CacheTtls ttls) {

    /** Checks the settings. */
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(cacheUrl, "cacheUrl");
      Objects.requireNonNull(sessionUrl, "sessionUrl");
      Objects.requireNonNull(dataDirectory, "dataDirectory");
      Objects.requireNonNull(loginWindow, "loginWindow");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(trustedProxies, "trustedProxies");
      Objects.requireNonNull(tokenLifetime, "tokenLifetime");
      Objects.requireNonNull(ttls, "ttls");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      if (loginLimit < 1) {
        throw new IllegalArgumentException("loginLimit must be at least 1, was " + loginLimit);
      }
    }
  }

  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);
  private static final String LOGIN = "/api/auth/login";
  /** Every other endpoint that checks a password: on the same count as logins, per client. */
  private static final String[] PASSWORD_CHECKS = {
      "/api/auth/token", "/api/auth/password", "/api/cache/clear", "/api/cache/invalidate/*"};
  /** Requests per minute one client may make to the rest of the API: generous, against floods. */
  private static final int API_LIMIT_PER_MINUTE = 1200;

  private final Server server;
  private final TodoDatabase database;
  private final DemoCaches caches;
  private final SessionManager sessions;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DemoServer(
      Server server, TodoDatabase database, DemoCaches caches, SessionManager sessions, URI uri) {
    this.server = server;
    this.database = database;
    this.caches = caches;
    this.sessions = sessions;
    this.uri = uri;
  }

  /** Opens everything and starts serving; nothing is left open when it fails. */
  public static DemoServer start(Settings settings) {
    Clock clock = settings.clock();
    TodoDatabase database = TodoDatabase.open(settings.dataDirectory());
    DemoCaches caches = null;
    SessionManager manager = null;
    Server server = null;
    try {
      caches = DemoCaches.open(settings.cacheUrl(), clock);
      DemoMetrics metrics = new DemoMetrics();
      caches.byName().forEach(metrics::bind);
      TodoStore store = new TodoStore(
          new Users(database, clock), new Tasks(database, clock), caches.users(), caches.tasks(),
          metrics.cacheReads(TodoStore.USERS), metrics.cacheReads(TodoStore.TASKS),
          settings.ttls());
      CacheStore revocations = caches.revocations();
      manager = Sessions.open(settings.sessionUrl(), clock, builder -> builder
          .listener(new SessionMeters(metrics))
          // Cookie sessions live in the clients: "log out everywhere" records the moment here.
          .revocations(revocations));
      SessionBinding sessions = new SessionBinding(manager);
      AccountApi accounts = new AccountApi(store,
          new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS), sessions,
          BearerTokens.create(settings.tokenKey(), settings.tokenLifetime(), clock));
      Routes routes = new Routes();
      accounts.register(routes);
      new UserSessionsApi(accounts, sessions).register(routes);
      new TaskApi(store, accounts).register(routes);
      new CacheApi(caches, store, accounts, sessions, metrics, clock).register(routes);
      new ServiceApi(database, caches, manager, metrics, clock).register(routes);

      QueuedThreadPool threads = new QueuedThreadPool(64, 4);
      threads.setName("demo-http");
      server = new Server(threads);
      server.setErrorHandler(new JsonErrorHandler());
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http()));
      connector.setHost(settings.host());
      connector.setPort(settings.port());
      server.addConnector(connector);

      ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
      context.setContextPath("/");
      context.setErrorHandler(new JsonErrorHandler());
      context.addFilter(new FilterHolder(new RequestMetricsFilter(metrics, LOGIN)), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(new RequestGuardFilter(settings.maxBodyBytes())), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(new TextRefusalFilter()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(rateLimits(caches, settings)), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(new HeaderTransportFilter()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(sessionFilter(manager, settings.trustedProxies())), "/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(
          new ServletHolder("api", new ApiServlet(routes, settings.maxBodyBytes(), clock)), "/");
      ServletHolder pages = new ServletHolder("pages", new PageServlet());
      // The page's files go through the HTTP cache: ETags, 304s, and hits on the dashboard.
      FilterHolder pageCache = new FilterHolder(
          ResponseCacheFilter.builder(caches.pages()).clock(clock).build());
      pageCache.setName("page-cache");
      FilterMapping pagesOnly = new FilterMapping();
      pagesOnly.setFilterName("page-cache");
      pagesOnly.setServletName("pages");
      pagesOnly.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
      context.getServletHandler().addFilter(pageCache, pagesOnly);
      context.getServletHandler().addServletWithMapping(pages, "");
      context.getServletHandler().addServletWithMapping(pages, "/dashboard");
      context.getServletHandler().addServletWithMapping(pages, "/dashboard.js");
      context.getServletHandler().addServletWithMapping(pages, "/dashboard.css");
      context.addServlet(new ServletHolder("metrics", new MetricsServlet(metrics)), "/metrics");
      server.setHandler(context);
      server.start();

      String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
      URI uri = URI.create("http://" + host + ":" + connector.getLocalPort() + "/");
      log.info("Todo demo serving on {} (cache {}, sessions {}, data {})", uri,
          StoreUrl.parse(settings.cacheUrl()), StoreUrl.parse(settings.sessionUrl()),
          database.file());
      return new DemoServer(server, database, caches, manager, uri);
    } catch (Exception e) {
      stopQuietly(server, e);
      if (manager != null) {
        manager.close();
      }
      if (caches != null) {
        caches.close();
      }
      database.close();
      if (isBindFailure(e)) {
        throw new IllegalStateException("cannot listen on " + settings.host() + ":"
            + settings.port() + ", it is in use or not this machine's; choose another with --port"
            + " (0 for any free one) or --host", e);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("cannot start the demo: " + e.getMessage(), e);
    }
  }

  /**
   * HTTP/1.1 as every server the demo starts speaks it: header values matched with their letter
   * case (Jetty's per-connection header cache otherwise hands a later request the cached value of
   * an earlier one that differs only in case, so a case-changed session id would pass as the
   * real one), and no {@code Server} header naming the Jetty version.
   */
  private static HttpConfiguration http() {
    HttpConfiguration http = new HttpConfiguration();
    http.setHeaderCacheCaseSensitive(true);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    return http;
  }

  /**
   * Login attempts (and other password checks) per client address, then a flood guard on the
   * rest of the API; the page, its polls, health and metrics are never limited. Counters live in
   * the store of the cache URL (under their own key space), so several demo processes on one Redis
   * share them.
   */
  private static RateLimitFilter rateLimits(DemoCaches caches, Settings settings) {
    RateLimiter logins = RateLimiter.builder(caches.rateLimits())
        .name("demo-login")
        .limit(settings.loginLimit())
        .per(settings.loginWindow())
        .build();
    RateLimitFilter.Builder filter = RateLimitFilter.builder().route(LOGIN, logins);
    for (String path : PASSWORD_CHECKS) {
      filter.route(path, logins);
    }
    return filter
        .route("/api/*", RateLimiter.builder(caches.rateLimits())
            .name("demo-api")
            .limit(API_LIMIT_PER_MINUTE)
            .per(Duration.ofMinutes(1))
            .build())
        .exclude("/api/dashboard")
        .trustedProxies(settings.trustedProxies())
        .build();
  }

  /**
   * Hoard sessions behind {@code getSession()}: from the cookie or the two headers. Cookie clients
   * send the CSRF token on unsafe requests, except to log in or register, which carry no session
   * worth forging. The page, its polls, health and metrics never touch sessions.
   */
  private static SessionFilter sessionFilter(SessionManager manager, TrustedProxies proxies) {
    return SessionFilter.builder(manager)
        .trustedProxies(proxies)
        .csrfExempt(LOGIN)
        .csrfExempt("/api/auth/token")
        .csrfExempt("/api/auth/register")
        .exclude("/")
        .exclude("/dashboard*")
        .exclude("/api/dashboard")
        .exclude("/health")
        .exclude("/metrics")
        .build();
  }

  /** Where it serves, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return uri;
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops serving and closes the sessions, the caches and the database; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping Jetty failed", e);
    } finally {
      sessions.close();
      caches.close();
      database.close();
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void stopQuietly(Server server, Exception cause) {
    if (server == null) {
      return;
    }
    try {
      server.stop();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }
}
