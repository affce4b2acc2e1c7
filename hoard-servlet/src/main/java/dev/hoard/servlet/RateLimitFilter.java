package dev.hoard.servlet;

import dev.hoard.cache.spi.Glob;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimiter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits request rates with {@link RateLimiter}s: per route pattern (first match wins) or one
 * limiter for everything else, counted per client address (through {@link TrustedProxies}), per
 * user, or per route ({@link RateLimitKey}).
 *
 * <p>Routes and exclusions match the path as the application resolves it ({@link PathMatcher}):
 * {@code /login/}, {@code //login}, {@code /./login}, {@code /login;x=1} and {@code /%6Cogin} all
 * fall under {@code route("/login", …)}.
 *
 * <p>Every counted response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (seconds), and {@code RateLimit-Policy} ({@code X-RateLimit-*} with
 * {@link Builder#xPrefixedHeaders()}); a refused request gets {@code 429 Too Many Requests} with
 * {@code Retry-After} and a JSON body, {@code {"error":"too_many_requests","limit":5,
 * "window_seconds":60,"retry_after_seconds":12}}, and never reaches the application. When the store
 * fails the request goes through without headers (fail-open, the default; a warning is logged at
 * most every ten seconds) or gets {@code 503} ({@link Builder#failClosed()}).
 *
 * <pre>{@code
 * RateLimitFilter filter = RateLimitFilter.builder()
 *     .route("/login", RateLimiter.builder(store).name("login").limit(5).per(ofMinutes(1)).build())
 *     .limiter(RateLimiter.builder(store).name("api").limit(600).per(ofMinutes(1)).build())
 *     .trustedProxies(TrustedProxies.of("10.0.0.0/8"))
 *     .build();
 * }</pre>
 */
public final class RateLimitFilter implements Filter {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitFilter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Glob ANY = Glob.of("*");

  private record Route(String pattern, Glob glob, RateLimiter limiter) {}

  private final List<Route> routes;
  private final RateLimiter fallbackLimiter;
  private final List<Glob> excluded;
  private final PathMatcher paths;
  private final String headerPrefix;
  private final RateLimitKey key;
  private final TrustedProxies proxies;
  private final boolean failOpen;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  private RateLimitFilter(Builder builder) {
    this.paths = builder.paths;
    this.routes = builder.routes.stream()
        .map(route -> new Route(route.pattern, paths.compile(route.pattern), route.limiter))
        .toList();
    this.fallbackLimiter = builder.limiter;
    this.excluded = builder.excluded.stream().map(paths::compile).toList();
    this.headerPrefix = builder.headerPrefix;
    this.key = builder.key;
    this.proxies = builder.proxies;
    this.failOpen = builder.failOpen;
  }

  /** Starts configuring a filter. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse,
      FilterChain chain) throws IOException, ServletException {
    if (!(servletRequest instanceof HttpServletRequest request)
        || !(servletResponse instanceof HttpServletResponse response)) {
      chain.doFilter(servletRequest, servletResponse);
      return;
    }
    String path = paths.pathOf(request);
    Route route = routeOf(path);
    if (route == null) {
      chain.doFilter(request, response);
      return;
    }
    String subject = key.keyOf(request, proxies.clientAddress(request), route.pattern);
    if (subject == null) {
      chain.doFilter(request, response);
      return;
    }
    RateLimitDecision decision;
    try {
      decision = route.limiter.tryAcquire(subject);
    } catch (RuntimeException e) {
      warn(route.limiter, e);
      if (failOpen) {
        chain.doFilter(request, response);
      } else {
        response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      }
      return;
    }
    long windowSeconds = Math.max(1, route.limiter.policy().period().toSeconds());
    response.setHeader(headerPrefix + "Limit", Long.toString(decision.limit()));
    response.setHeader(headerPrefix + "Remaining", Long.toString(decision.remaining()));
    response.setHeader(headerPrefix + "Reset", Long.toString(decision.resetSeconds()));
    response.setHeader(headerPrefix + "Policy", decision.limit() + ";w=" + windowSeconds);
    if (decision.allowed()) {
      chain.doFilter(request, response);
      return;
    }
    long retryAfter = decision.retryAfterSeconds();
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(retryAfter));
    response.setContentType("application/json");
    byte[] body = ("{\"error\":\"too_many_requests\",\"limit\":" + decision.limit()
        + ",\"window_seconds\":" + windowSeconds + ",\"retry_after_seconds\":" + retryAfter + "}")
        .getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private Route routeOf(String path) {
    for (Glob glob : excluded) {
      if (glob.matches(path)) {
        return null;
      }
    }
    for (Route route : routes) {
      if (route.glob.matches(path)) {
        return route;
      }
    }
    return fallbackLimiter == null ? null : new Route("*", ANY, fallbackLimiter);
  }

  private void warn(RateLimiter limiter, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      LOG.warn("rate limiter {} failed; requests go {} until it recovers: {}", limiter,
          failOpen ? "through unlimited" : "refused with 503", e.toString());
    }
  }

  /** Configures a {@link RateLimitFilter}. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private PathMatcher paths = PathMatcher.standard();
    private String headerPrefix = "RateLimit-";
    private RateLimiter limiter;
    private RateLimitKey key = RateLimitKey.clientAddress();
    private TrustedProxies proxies = TrustedProxies.none();
    private boolean failOpen = true;

    private Builder() {}

    /**
     * Limits requests whose path (inside the application) matches {@code pattern}, a glob such as
     * {@code /login} or {@code /api/*}; routes are tried in the order given.
     *
     * @throws IllegalArgumentException if the pattern is not a valid glob
     */
    public Builder route(String pattern, RateLimiter limiter) {
      PathMatcher.standard().compile(pattern);
      routes.add(new Route(pattern, null, Objects.requireNonNull(limiter, "limiter")));
      return this;
    }

    /** Limits every request that no {@linkplain #route route} matches. */
    public Builder limiter(RateLimiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /** Never limits paths matching {@code pattern} (health checks, static files). */
    public Builder exclude(String pattern) {
      PathMatcher.standard().compile(pattern);
      excluded.add(pattern);
      return this;
    }

    /**
     * How routes and exclusions are matched to requests; {@link PathMatcher#standard()} unless
     * set. Choose {@link PathMatcher#ignoringCase()} when the application resolves paths
     * regardless of letter case, or {@code /LOGIN} would escape the limit on {@code /login}.
     */
    public Builder pathMatcher(PathMatcher matcher) {
      this.paths = Objects.requireNonNull(matcher, "matcher");
      return this;
    }

    /**
     * Names the headers {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code
     * X-RateLimit-Reset} and {@code X-RateLimit-Policy}, for clients written against that older
     * convention; the IETF draft's {@code RateLimit-*} unless set.
     */
    public Builder xPrefixedHeaders() {
      this.headerPrefix = "X-RateLimit-";
      return this;
    }

    /** What requests are counted against; {@link RateLimitKey#clientAddress()} unless set. */
    public Builder keyedBy(RateLimitKey key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /** The proxies whose forwarding header names the client; {@link TrustedProxies#none()} unless set. */
    public Builder trustedProxies(TrustedProxies proxies) {
      this.proxies = Objects.requireNonNull(proxies, "proxies");
      return this;
    }

    /** Answers {@code 503} instead of letting requests through when the limiter's store fails. */
    public Builder failClosed() {
      this.failOpen = false;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalStateException if neither a route nor a default limiter was given
     */
    public RateLimitFilter build() {
      if (routes.isEmpty() && limiter == null) {
        throw new IllegalStateException(
            "a RateLimitFilter needs a limiter(…) for every request or at least one route(…)");
      }
      return new RateLimitFilter(this);
    }
  }
}
