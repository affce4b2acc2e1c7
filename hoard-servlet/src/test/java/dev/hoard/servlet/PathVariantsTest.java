package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.servlet.testing.EmbeddedJetty;
import dev.hoard.servlet.testing.RawHttp;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.memory.MemorySessionStore;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, defect 1: every spelling of a path that the router serves falls under the rules
 * written for it, in the rate limiter, the session filter's exclusions and CSRF exemptions, and
 * the response cache's exclusions. Requests go over raw sockets, since HTTP clients normalise or
 * refuse some of these targets; the router, like the demo's, accepts trailing and doubled slashes.
 */
class PathVariantsTest {

  /** Spellings of {@code /api/auth/login} a container or a lenient router resolves to it. */
  static List<String> loginVariants() {
    return List.of(
        "/api/auth/login/",
        "//api/auth/login",
        "/api//auth/login",
        "/api/auth//login/",
        "/api/./auth/login",
        "/api/x/../auth/login",
        "/api/auth/login/.",
        "/api/auth/login;x=1",
        "/api;x=1/auth/login",
        "/api/auth/%6Cogin",
        "/api/auth/%6cogin/",
        "/%61pi/auth/login",
        "/api%2Fauth/login",
        "/api/auth%2Flogin",
        "/api/auth/login%2F");
  }

  private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
  private final MemoryCacheStore limits = MemoryCacheStore.builder().build();
  private EmbeddedJetty jetty;
  private SessionManager sessions;

  @AfterEach
  void stop() {
    if (jetty != null) {
      jetty.close();
    }
    if (sessions != null) {
      sessions.close();
    }
    limits.close();
  }

  /**
   * A router like the demo's: it serves a route whatever the trailing or doubled slashes, and
   * regardless of case when {@code ignoreCase}.
   */
  private HttpServlet router(boolean ignoreCase) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? ""
            : request.getPathInfo());
        path = path.replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        if (ignoreCase) {
          path = path.toLowerCase(Locale.ROOT);
        }
        if (!List.of("/api/auth/login", "/static/app.js", "/hooks/in", "/account/me",
            "/public/page").contains(path)) {
          response.sendError(404);
          return;
        }
        int call = served.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
        response.setHeader("Cache-Control", "public, max-age=600");
        response.setContentType("text/plain");
        response.getWriter().print(path + " call " + call);
      }
    };
  }

  private RateLimitFilter loginLimit(PathMatcher matcher) {
    RateLimiter limiter = RateLimiter.builder(limits).name("login-" + UUID.randomUUID())
        .limit(1).per(Duration.ofMinutes(1)).build();
    return RateLimitFilter.builder().route("/api/auth/login", limiter).pathMatcher(matcher)
        .keyedBy((request, address, route) -> request.getHeader("X-Client"))
        .build();
  }

  private int servedLogins() {
    return served.getOrDefault("/api/auth/login", new AtomicInteger()).get();
  }

  @ParameterizedTest
  @MethodSource("loginVariants")
  void onALenientContainerEveryVariantFallsUnderTheLoginLimit(String variant) {
    jetty = EmbeddedJetty.startLenient(router(false), loginLimit(PathMatcher.standard()));
    String client = "X-Client: " + UUID.randomUUID();
    RawHttp.Response first = RawHttp.once(jetty.port(), "POST", variant, client);
    assertThat(first.status()).as(variant + " reaches the router").isEqualTo(200);

    assertThat(RawHttp.once(jetty.port(), "POST", "/api/auth/login", client).status())
        .as("the canonical path after " + variant).isEqualTo(429);
    assertThat(RawHttp.once(jetty.port(), "POST", variant, client).status())
        .as(variant + " after the canonical path").isEqualTo(429);
    assertThat(servedLogins()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("loginVariants")
  void onJettysDefaultsEveryVariantIsLimitedOrRefusedByJetty(String variant) {
    jetty = EmbeddedJetty.start(router(false), loginLimit(PathMatcher.standard()));
    String client = "X-Client: " + UUID.randomUUID();
    assertThat(RawHttp.once(jetty.port(), "POST", "/api/auth/login", client).status())
        .isEqualTo(200);

    RawHttp.Response again = RawHttp.once(jetty.port(), "POST", variant, client);

    // 400: Jetty refuses an ambiguous target (//, %2F) itself, before any filter.
    assertThat(again.status()).as(variant + " after the one allowed login").isIn(429, 400);
    assertThat(servedLogins()).as(variant + " never reaches the router").isEqualTo(1);
  }

  @Test
  void theJavaHttpClientsSpellingsFallUnderTheLimitToo() {
    jetty = EmbeddedJetty.start(router(false), loginLimit(PathMatcher.standard()));
    for (String variant : List.of("/api/auth/login/", "/api/auth/%6Cogin", "/api/auth/login;a")) {
      String client = UUID.randomUUID().toString();
      assertThat(jetty.send(jetty.request("/api/auth/login").header("X-Client", client)
          .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
          .isEqualTo(200);
      HttpResponse<String> refused = jetty.send(jetty.request(variant).header("X-Client", client)
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(refused.statusCode()).as(variant).isEqualTo(429);
    }
    assertThat(servedLogins()).isEqualTo(3);
  }

  @Test
  void letterCaseCountsOnlyWhereTheMatcherIgnoresIt() {
    String client = "X-Client: " + UUID.randomUUID();
    jetty = EmbeddedJetty.startLenient(router(true), loginLimit(PathMatcher.ignoringCase()));
    assertThat(RawHttp.once(jetty.port(), "POST", "/api/auth/login", client).status())
        .isEqualTo(200);
    for (String variant : List.of("/API/auth/login", "/api/Auth/LOGIN/", "//Api/auth/%4Cogin")) {
      assertThat(RawHttp.once(jetty.port(), "POST", variant, client).status()).as(variant)
          .isEqualTo(429);
    }
    jetty.close();

    // A case-sensitive router 404s /API/…, so the standard matcher has nothing to protect there.
    jetty = EmbeddedJetty.start(router(false), loginLimit(PathMatcher.standard()));
    RawHttp.Response upper = RawHttp.once(jetty.port(), "POST", "/API/auth/login", client);
    assertThat(upper.status()).isEqualTo(404);
    assertThat(upper.header("RateLimit-Limit")).isEmpty();
  }

  @Test
  void sessionExclusionsAndCsrfExemptionsMatchEverySpelling() {
    sessions = SessionManager.builder(MemorySessionStore.builder().build()).build();
    jetty = EmbeddedJetty.startLenient(router(false), SessionFilter.builder(sessions)
        .exclude("/static/*").csrfExempt("/hooks/in").build(), new SessionTouching());
    for (String variant : List.of("/static/app.js", "//static/app.js", "/static/./app.js",
        "/static/x/../app.js", "/static;v=2/app.js", "/%73tatic/app.js")) {
      RawHttp.Response response = RawHttp.once(jetty.port(), "GET", variant);
      assertThat(response.status()).as(variant).isEqualTo(200);
      assertThat(response.header("Set-Cookie")).as(variant + " is excluded").isEmpty();
    }
    String cookie = RawHttp.once(jetty.port(), "GET", "/public/page").header("Set-Cookie")
        .orElseThrow().split(";")[0];
    assertThat(RawHttp.once(jetty.port(), "POST", "/public/page", "Cookie: " + cookie).status())
        .as("an unsafe method without the token").isEqualTo(403);
    for (String variant : List.of("/hooks/in", "/hooks/in/", "//hooks/in", "/hooks/./in",
        "/hooks/in;x", "/hooks/%69n")) {
      assertThat(RawHttp.once(jetty.port(), "POST", variant, "Cookie: " + cookie).status())
          .as(variant + " is exempt").isEqualTo(200);
    }
  }

  @Test
  void responseCacheExclusionsMatchEverySpelling() {
    Cache cache = Cache.builder(MemoryCacheStore.builder().build()).build();
    jetty = EmbeddedJetty.startLenient(router(false),
        ResponseCacheFilter.builder(cache).excludePaths("/account/*").build());
    for (String variant : List.of("/account/me", "//account/me", "/account/me/",
        "/account/./me", "/account;x/me", "/%61ccount/me")) {
      RawHttp.Response first = RawHttp.once(jetty.port(), "GET", variant);
      RawHttp.Response second = RawHttp.once(jetty.port(), "GET", variant);
      assertThat(second.body()).as(variant + " is never cached").isNotEqualTo(first.body());
    }
    RawHttp.Response first = RawHttp.once(jetty.port(), "GET", "/public/page");
    assertThat(RawHttp.once(jetty.port(), "GET", "/public/page").body())
        .as("what is not excluded is cached").isEqualTo(first.body());
    cache.close();
  }

  /** Writes to the Hoard session wherever the session filter gave the request one. */
  private static final class SessionTouching implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      if (request.getAttribute(SessionFilter.SESSION_ATTRIBUTE) instanceof Session session) {
        session.put("seen", "yes");
      }
      chain.doFilter(request, response);
    }
  }
}
