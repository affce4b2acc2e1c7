package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.servlet.testing.EmbeddedJetty;
import dev.hoard.servlet.testing.RawHttp;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.memory.MemorySessionStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 on {@link SessionFilter} over real HTTP: session fixation at login (defect 2), the
 * cookie's prefix, Secure flag and options (ASVS 3.4.1, 3.4.4), the CSRF options, and Jetty's
 * header cache on a kept-alive connection (defect 3). Requests go over raw sockets, so every
 * header is exactly what a browser or an attacker would send.
 */
class SessionFilterSecurityTest {

  private SessionManager manager;
  private EmbeddedJetty jetty;

  /** /plant puts a redirect target; /login binds the user; /state tells what the session holds. */
  static final class LoginServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain;charset=UTF-8");
      String path =
          request.getServletPath() + Optional.ofNullable(request.getPathInfo()).orElse("");
      switch (path) {
        case "/plant" -> {
          Session session = SessionFilter.session(request);
          session.put("next", "https://evil.example/");
          response.getWriter().print(session.csrfToken());
        }
        case "/login" -> {
          Session session = SessionFilter.session(request);
          session.bindUser(request.getParameter("user"));
          response.getWriter().print(session.csrfToken());
        }
        case "/state" -> {
          Optional<Session> session = SessionFilter.existingSession(request);
          response.getWriter().print(session.map(s -> "user=" + s.userId().orElse("-")
              + " next=" + s.get("next")).orElse("none"));
        }
        default -> response.getWriter().print("ok");
      }
    }
  }

  @BeforeEach
  void openManager() {
    manager = SessionManager.builder(MemorySessionStore.builder().build()).build();
  }

  @AfterEach
  void stop() {
    if (jetty != null) {
      jetty.close();
    }
    manager.close();
  }

  private void start(UnaryOperator<SessionFilter.Builder> configure) {
    jetty = EmbeddedJetty.start(new LoginServlet(),
        configure.apply(SessionFilter.builder(manager)).build());
  }

  private RawHttp.Response get(String path, String... headers) {
    return RawHttp.once(jetty.port(), "GET", path, headers);
  }

  private RawHttp.Response post(String path, String... headers) {
    return RawHttp.once(jetty.port(), "POST", path, headers);
  }

  private static String cookiePair(RawHttp.Response response) {
    return response.header("Set-Cookie").orElseThrow().split(";")[0];
  }

  // ---------------------------------------------------------------- defect 2: fixation

  @Test
  void aVictimLoggingInWithAPlantedCookieGetsANewSessionTheAttackerCannotUse() {
    start(builder -> builder);
    RawHttp.Response planted = get("/plant");
    String attackerCookie = cookiePair(planted);
    String attackerCsrf = planted.body();

    // The victim's browser carries the planted cookie; the attacker's page also knows its token.
    RawHttp.Response login = post("/login?user=alice", "Cookie: " + attackerCookie,
        "X-CSRF-Token: " + attackerCsrf);
    assertThat(login.status()).isEqualTo(200);
    String victimCookie = cookiePair(login);
    String victimCsrf = login.body();

    assertThat(victimCookie).isNotEqualTo(attackerCookie);
    assertThat(victimCsrf).isNotEqualTo(attackerCsrf);
    assertThat(get("/state", "Cookie: " + victimCookie).body())
        .isEqualTo("user=alice next=null");
    assertThat(get("/state", "Cookie: " + attackerCookie).body())
        .as("the planted id is dead").isEqualTo("none");
    assertThat(post("/anything", "Cookie: " + victimCookie, "X-CSRF-Token: " + attackerCsrf)
        .status()).as("the attacker's CSRF token").isEqualTo(403);
    assertThat(post("/anything", "Cookie: " + victimCookie, "X-CSRF-Token: " + victimCsrf)
        .status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- cookie: ASVS 3.4.1, 3.4.4

  @Test
  void behindATrustedTlsProxyTheCookieIsSecureAndHostPrefixed() {
    start(builder -> builder.trustedProxies(TrustedProxies.of("127.0.0.1")));
    String setCookie = get("/plant", "X-Forwarded-Proto: https").header("Set-Cookie")
        .orElseThrow();
    assertThat(setCookie).startsWith("__Host-HOARD_SESSION=").contains("Secure")
        .contains("HttpOnly").contains("Path=/").contains("SameSite=Lax")
        .doesNotContainIgnoringCase("Domain");

    String plain = get("/plant").header("Set-Cookie").orElseThrow();
    assertThat(plain).startsWith("HOARD_SESSION=").doesNotContain("Secure");
  }

  @Test
  void theForwardedHeadersProtoCountsWhenTheFilterReadsForwarded() {
    start(builder -> builder.trustedProxies(TrustedProxies.of("127.0.0.1").readingForwarded()));
    assertThat(get("/plant", "Forwarded: for=198.51.100.1;proto=https").header("Set-Cookie")
        .orElseThrow()).startsWith("__Host-HOARD_SESSION=").contains("Secure");
    assertThat(get("/plant", "X-Forwarded-Proto: https").header("Set-Cookie").orElseThrow())
        .as("the header the proxies do not write").startsWith("HOARD_SESSION=")
        .doesNotContain("Secure");
  }

  @Test
  void anUntrustedPeersForwardedProtoIsIgnored() {
    start(builder -> builder.trustedProxies(TrustedProxies.of("10.0.0.0/8")));
    assertThat(get("/plant", "X-Forwarded-Proto: https").header("Set-Cookie").orElseThrow())
        .startsWith("HOARD_SESSION=").doesNotContain("Secure");
  }

  @Test
  void onASecureRequestOnlyThePrefixedCookieIsRead() {
    start(builder -> builder.trustedProxies(TrustedProxies.of("127.0.0.1")));
    String secureCookie = cookiePair(get("/plant", "X-Forwarded-Proto: https"));
    String token = secureCookie.substring(secureCookie.indexOf('=') + 1);
    assertThat(get("/state", "X-Forwarded-Proto: https", "Cookie: " + secureCookie).body())
        .startsWith("user=");
    // The same value under the bare name, as a man in the middle on plain HTTP could plant it.
    assertThat(get("/state", "X-Forwarded-Proto: https", "Cookie: HOARD_SESSION=" + token)
        .body()).isEqualTo("none");
  }

  @Test
  void aDomainOrAnotherPathMakesTheSecurePrefix() {
    start(builder -> builder.secureCookie().cookieDomain("example.test").cookieName("sid"));
    assertThat(get("/plant").header("Set-Cookie").orElseThrow())
        .startsWith("__Secure-sid=").contains("Secure").containsIgnoringCase("Domain=example.test");
    jetty.close();
    start(builder -> builder.secureCookie().cookiePath("/app"));
    assertThat(get("/plant").header("Set-Cookie").orElseThrow())
        .startsWith("__Secure-HOARD_SESSION=").contains("Path=/app");
  }

  @Test
  void sameSiteIsConfigurableAndNoneForcesSecure() {
    start(builder -> builder.sameSite(SessionFilter.SameSite.STRICT));
    assertThat(get("/plant").header("Set-Cookie").orElseThrow()).contains("SameSite=Strict")
        .doesNotContain("Secure");
    jetty.close();
    start(builder -> builder.sameSite(SessionFilter.SameSite.NONE));
    assertThat(get("/plant").header("Set-Cookie").orElseThrow())
        .startsWith("__Host-HOARD_SESSION=").contains("SameSite=None").contains("Secure");
  }

  @Test
  void withoutThePrefixTheNameStaysAsGiven() {
    start(builder -> builder.secureCookie().withoutCookiePrefix().cookieName("legacy"));
    assertThat(get("/plant").header("Set-Cookie").orElseThrow()).startsWith("legacy=")
        .contains("Secure");
  }

  // ---------------------------------------------------------------- CSRF options

  @Test
  void theCsrfHeaderAndTheExemptMethodsAreConfigurable() {
    start(builder -> builder.csrfHeader("X-XSRF-TOKEN").csrfExemptMethods("GET", "HEAD"));
    RawHttp.Response planted = get("/plant");
    String cookie = cookiePair(planted);
    String csrf = planted.body();
    assertThat(post("/x", "Cookie: " + cookie, "X-CSRF-Token: " + csrf).status())
        .as("the default header name no longer counts").isEqualTo(403);
    assertThat(post("/x", "Cookie: " + cookie, "X-XSRF-TOKEN: " + csrf).status()).isEqualTo(200);
    assertThat(RawHttp.once(jetty.port(), "OPTIONS", "/x", "Cookie: " + cookie).status())
        .as("OPTIONS is no longer exempt").isEqualTo(403);
    assertThat(get("/x", "Cookie: " + cookie).status()).isEqualTo(200);
  }

  // ---------------------------------------------------------------- defect 3: header cache

  @Test
  void aTokenDifferingOnlyInCaseIsRefusedOnAKeptAliveConnection() {
    start(builder -> builder);
    String cookie = cookiePair(get("/plant"));
    String token = cookie.substring(cookie.indexOf('=') + 1);
    String changed = flipCaseOfOneLetter(token);
    try (RawHttp connection = RawHttp.connect(jetty.port())) {
      assertThat(connection.send("GET", "/state", "X-Session-ID: " + token).body())
          .startsWith("user=");
      assertThat(connection.send("GET", "/state", "X-Session-ID: " + changed).body())
          .as("a case-changed X-Session-ID").isEqualTo("none");
      assertThat(connection.send("GET", "/state", "Authorization: Session " + token).body())
          .startsWith("user=");
      assertThat(connection.send("GET", "/state", "Authorization: Session " + changed).body())
          .as("a case-changed Authorization").isEqualTo("none");
      assertThat(connection.send("GET", "/state", "Cookie: HOARD_SESSION=" + token).body())
          .startsWith("user=");
      assertThat(connection.send("GET", "/state", "Cookie: HOARD_SESSION=" + changed).body())
          .as("a case-changed cookie").isEqualTo("none");
    }
  }

  private static String flipCaseOfOneLetter(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isLetter(c)) {
        char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c)
            : Character.toUpperCase(c);
        return token.substring(0, i) + flipped + token.substring(i + 1);
      }
    }
    throw new IllegalArgumentException("no letter in the token");
  }
}
