package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.servlet.testing.EmbeddedJetty;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import dev.hoard.session.cookie.CookieSessionStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.HttpCookie;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link SessionFilter} in a real Jetty, driven over HTTP like a browser and like an API client. */
class SessionFilterTest {

  private static final String COOKIE = SessionFilter.DEFAULT_COOKIE_NAME;

  /** A servlet whose path says what to do with the session. */
  static final class SessionServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=UTF-8");
      String name = request.getParameter("name");
      switch (request.getPathInfo() == null ? request.getServletPath() : request.getPathInfo()) {
        case "/put" -> {
          request.getSession().setAttribute(name, request.getParameter("value"));
          response.getWriter().print("stored");
        }
        case "/get" -> {
          HttpSession session = request.getSession(false);
          response.getWriter().print(session == null ? "no session" : session.getAttribute(name));
        }
        case "/names" -> {
          HttpSession session = request.getSession(false);
          response.getWriter().print(session == null ? ""
              : String.join(",", new TreeSet<>(Collections.list(session.getAttributeNames()))));
        }
        case "/info" -> {
          HttpSession session = request.getSession();
          response.getWriter().print("new=" + session.isNew() + " id=" + session.getId()
              + " created=" + session.getCreationTime() + " idle=" + session.getMaxInactiveInterval());
        }
        case "/csrf" -> response.getWriter().print(SessionFilter.session(request).csrfToken());
        case "/post" -> response.getWriter().print("posted");
        case "/flush-early" -> {
          request.getSession().setAttribute("early", "yes");
          PrintWriter writer = response.getWriter();
          writer.print("first part ");
          writer.flush();
          writer.print("second part");
        }
        case "/big-body" -> {
          request.getSession().setAttribute("big", "yes");
          byte[] chunk = new byte[1024];
          java.util.Arrays.fill(chunk, (byte) 'x');
          for (int i = 0; i < 200; i++) {
            response.getOutputStream().write(chunk);
          }
        }
        case "/redirect" -> {
          request.getSession().setAttribute("redirected", "yes");
          response.sendRedirect("/get?name=redirected");
        }
        case "/invalidate" -> {
          request.getSession().invalidate();
          response.getWriter().print("bye");
        }
        case "/rotate" -> {
          String before = request.getSession().getId();
          String after = request.changeSessionId();
          response.getWriter().print(before.equals(after) ? "same" : "rotated");
        }
        default -> response.sendError(404);
      }
    }
  }

  abstract static class Scenarios {
    SessionManager manager;
    EmbeddedJetty jetty;

    abstract SessionManager openManager();

    void start(SessionFilter.Builder filter) {
      jetty = EmbeddedJetty.start(filter.build(), new SessionServlet());
    }

    void start() {
      manager = openManager();
      start(SessionFilter.builder(manager));
    }

    @AfterEach
    void stop() {
      if (jetty != null) {
        jetty.close();
      }
      manager.close();
    }

    static Optional<HttpCookie> sessionCookie(HttpResponse<?> response) {
      for (String header : response.headers().allValues("Set-Cookie")) {
        for (HttpCookie cookie : HttpCookie.parse(header)) {
          if (cookie.getName().equals(COOKIE)) {
            return Optional.of(cookie);
          }
        }
      }
      return Optional.empty();
    }

    static String cookieValue(HttpResponse<?> response) {
      return sessionCookie(response).orElseThrow(
          () -> new AssertionError("no session cookie in " + response.headers().map())).getValue();
    }

    HttpResponse<String> withCookie(String path, String token) {
      return jetty.send(jetty.request(path).header("Cookie", COOKIE + "=" + token).GET().build());
    }

    /** 20 requests at once on one session, each setting its own attribute: all 20 stay. */
    void assertConcurrentRequestsLoseNothing() throws Exception {
      start();
      String token = cookieValue(jetty.get("/put?name=start&value=0"));
      ExecutorService threads = Executors.newFixedThreadPool(20);
      try {
        List<Future<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          String path = "/put?name=a" + (100 + i) + "&value=" + i;
          replies.add(threads.submit(() -> withCookie(path, token)));
        }
        for (Future<HttpResponse<String>> reply : replies) {
          assertThat(reply.get().body()).isEqualTo("stored");
        }
      } finally {
        threads.shutdownNow();
      }
      String names = withCookie("/names", token).body();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        expected.add("a" + (100 + i));
      }
      expected.add("start");
      assertThat(names.split(",")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aCookieCarriesTheSessionFromRequestToRequest() {
      start();
      HttpResponse<String> first = jetty.get("/put?name=colour&value=green");
      assertThat(first.body()).isEqualTo("stored");
      String setCookie = first.headers().allValues("Set-Cookie").stream()
          .filter(h -> h.startsWith(COOKIE + "=")).findFirst().orElseThrow();
      assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/")
          .doesNotContain("Secure");
      assertThat(first.headers().firstValue("X-Session-ID")).hasValue(cookieValue(first));

      String token = cookieValue(first);
      HttpResponse<String> second = withCookie("/get?name=colour", token);
      assertThat(second.body()).isEqualTo("green");
      assertThat(second.headers().firstValue("X-Session-ID"))
          .as("never handed to a request that came with the cookie").isEmpty();
      if (manager.backend() instanceof CookieSessionStore) {
        return;
      }
      assertThat(sessionCookie(second)).as("an unchanged token is not sent again").isEmpty();
      assertThat(withCookie("/info", token).body()).startsWith("new=false id=" + token)
          .endsWith("idle=1800");
    }

    @Test
    void aRequestThatTouchesNoSessionGetsNoCookie() {
      start();
      HttpResponse<String> response = jetty.get("/get?name=x");
      assertThat(response.body()).isEqualTo("no session");
      assertThat(sessionCookie(response)).isEmpty();
      assertThat(jetty.get("/info").body()).startsWith("new=true");
    }

    @Test
    void headerClientsPresentTheirTokenInEitherHeaderAndGetItBackInOne() {
      start();
      HttpResponse<String> created = jetty.get("/put?name=role&value=api");
      String token = created.headers().firstValue("X-Session-ID").orElseThrow();

      HttpResponse<String> bySessionId = jetty.send(jetty.request("/get?name=role")
          .header("X-Session-ID", token).GET().build());
      assertThat(bySessionId.body()).isEqualTo("api");
      HttpResponse<String> byAuthorization = jetty.send(jetty.request("/put?name=role&value=b")
          .header("Authorization", "Session " + token).GET().build());
      assertThat(byAuthorization.body()).isEqualTo("stored");
      String current = byAuthorization.headers().firstValue("X-Session-ID").orElseThrow();
      assertThat(sessionCookie(byAuthorization)).as("header clients get no cookie").isEmpty();
      assertThat(jetty.send(jetty.request("/get?name=role").header("X-Session-ID", current)
          .GET().build()).body()).isEqualTo("b");
      // A header client needs no CSRF token: a browser never adds these headers by itself.
      assertThat(jetty.send(jetty.request("/post").header("X-Session-ID", current)
          .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void unsafeMethodsOnACookieSessionNeedItsCsrfToken() {
      start(SessionFilter.builder(manager = openManager()).csrfExempt("/hooks/*"));
      HttpResponse<String> page = jetty.get("/csrf");
      String token = cookieValue(page);
      String csrf = page.body();

      HttpResponse<String> missing = jetty.send(jetty.request("/post")
          .header("Cookie", COOKIE + "=" + token).POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(missing.statusCode()).isEqualTo(403);
      HttpResponse<String> wrong = jetty.send(jetty.request("/post")
          .header("Cookie", COOKIE + "=" + token).header("X-CSRF-Token", csrf + "x")
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(wrong.statusCode()).isEqualTo(403);

      HttpResponse<String> byHeader = jetty.send(jetty.request("/post")
          .header("Cookie", COOKIE + "=" + token).header("X-CSRF-Token", csrf)
          .POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(byHeader.statusCode()).isEqualTo(200);
      assertThat(byHeader.body()).isEqualTo("posted");
      HttpResponse<String> byForm = jetty.send(jetty.request("/post")
          .header("Cookie", COOKIE + "=" + token)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("item=1&_csrf=" + csrf)).build());
      assertThat(byForm.statusCode()).isEqualTo(200);
      HttpResponse<String> deleteWithout = jetty.send(jetty.request("/post")
          .header("Cookie", COOKIE + "=" + token).DELETE().build());
      assertThat(deleteWithout.statusCode()).isEqualTo(403);
      HttpResponse<String> exempt = jetty.send(jetty.request("/hooks/post")
          .header("Cookie", COOKIE + "=" + token).POST(HttpRequest.BodyPublishers.noBody()).build());
      assertThat(exempt.statusCode()).isEqualTo(404);
    }

    @Test
    void anAppThatFlushesEarlyStillGetsItsCookie() {
      start();
      HttpResponse<String> flushed = jetty.get("/flush-early");
      assertThat(flushed.body()).isEqualTo("first part second part");
      assertThat(withCookie("/get?name=early", cookieValue(flushed)).body()).isEqualTo("yes");

      HttpResponse<String> big = jetty.get("/big-body");
      assertThat(big.body()).hasSize(200 * 1024);
      assertThat(withCookie("/get?name=big", cookieValue(big)).body()).isEqualTo("yes");

      HttpResponse<String> redirected = jetty.get("/redirect");
      assertThat(redirected.statusCode()).isEqualTo(302);
      assertThat(withCookie("/get?name=redirected", cookieValue(redirected)).body())
          .isEqualTo("yes");
    }

    @Test
    void invalidateClearsTheCookie() {
      start();
      String token = cookieValue(jetty.get("/put?name=a&value=1"));
      HttpResponse<String> bye = withCookie("/invalidate", token);
      HttpCookie cleared = sessionCookie(bye).orElseThrow();
      assertThat(cleared.getMaxAge()).isZero();
      assertThat(cleared.getValue()).isEmpty();
      if (!(manager.backend() instanceof CookieSessionStore)) {
        // Cookie sessions cannot be revoked on the server: the old token stays readable.
        assertThat(withCookie("/get?name=a", token).body()).isEqualTo("no session");
      }
    }

    @Test
    void changeSessionIdRegeneratesAndKeepsTheData() {
      start();
      String token = cookieValue(jetty.get("/put?name=cart&value=3"));
      HttpResponse<String> rotated = withCookie("/rotate", token);
      assertThat(rotated.body()).isEqualTo("rotated");
      String newToken = cookieValue(rotated);
      assertThat(newToken).isNotEqualTo(token);
      assertThat(withCookie("/get?name=cart", newToken).body()).isEqualTo("3");
      if (!(manager.backend() instanceof CookieSessionStore)) {
        assertThat(withCookie("/get?name=cart", token).body()).isEqualTo("no session");
      }
    }
  }

  @Nested
  class OnMemory extends Scenarios {
    @Override
    SessionManager openManager() {
      return Sessions.open("memory://", new ManualClock());
    }

    @Test
    void twentyConcurrentRequestsOnOneSessionLoseNothing() throws Exception {
      assertConcurrentRequestsLoseNothing();
    }

    @Test
    void theCookieIsSecureOnSecureRequests() {
      manager = openManager();
      jetty = EmbeddedJetty.startBehindTlsProxy(new SessionServlet(),
          SessionFilter.builder(manager).cookieName("app_session").build());
      HttpResponse<String> secure = jetty.send(jetty.request("/put?name=a&value=1")
          .header("X-Forwarded-Proto", "https").GET().build());
      String setCookie = secure.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).startsWith("__Host-app_session=").contains("Secure")
          .contains("HttpOnly");
      HttpResponse<String> plain = jetty.get("/put?name=a&value=1");
      assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    }

    @Test
    void aSessionBoundToTheClientIsRefusedToAnotherUserAgent() {
      manager = SessionManager.builder(
              dev.hoard.session.memory.MemorySessionStore.builder().build())
          .clientBinding(dev.hoard.session.ClientBinding.USER_AGENT).build();
      start(SessionFilter.builder(manager));
      HttpResponse<String> created = jetty.send(jetty.request("/put?name=k&value=v")
          .header("User-Agent", "browser-1").GET().build());
      String token = cookieValue(created);
      assertThat(jetty.send(jetty.request("/get?name=k").header("Cookie", COOKIE + "=" + token)
          .header("User-Agent", "browser-1").GET().build()).body()).isEqualTo("v");
      assertThat(jetty.send(jetty.request("/get?name=k").header("Cookie", COOKIE + "=" + token)
          .header("User-Agent", "curl").GET().build()).body()).isEqualTo("no session");
    }
  }

  @Nested
  class OnCookieStore extends Scenarios {
    @Override
    SessionManager openManager() {
      String key = CookieSessionStore.generateKey()
          .replace('+', '-').replace('/', '_').replace("=", "");
      return Sessions.open("cookie://?keys=" + key, new ManualClock());
    }

    @Test
    void theWholeSessionTravelsInTheCookie() {
      start();
      HttpResponse<String> first = jetty.get("/put?name=lang&value=francais");
      String sealed = cookieValue(first);
      // Sealed: neither the value nor its base64 shows.
      assertThat(sealed).doesNotContain("francais").doesNotContain("ZnJhbmNhaXM")
          .hasSizeGreaterThan(43);
      HttpResponse<String> second = withCookie("/put?name=theme&value=dark", sealed);
      String resealed = cookieValue(second);
      assertThat(resealed).isNotEqualTo(sealed);
      assertThat(withCookie("/names", resealed).body()).isEqualTo("lang,theme");
      assertThat(withCookie("/get?name=lang", resealed).body()).isEqualTo("francais");
      assertThat(withCookie("/get?name=lang", sealed + "x").body()).isEqualTo("no session");
    }
  }
}
