package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.servlet.testing.EmbeddedJetty;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The two filters together: limits per logged-in user, whatever address they come from. */
class SessionAndRateLimitTest {

  @Test
  void aSessionUserIsCountedAcrossAddressesAndAnonymousClientsByAddress() {
    ManualClock clock = new ManualClock();
    try (SessionManager manager = Sessions.open("memory://", clock);
        MemoryCacheStore store = MemoryCacheStore.builder().clock(clock).build()) {
      RateLimiter limiter = RateLimiter.builder(store).limit(2).per(Duration.ofMinutes(1)).build();
      HttpServlet servlet = new HttpServlet() {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
          if (request.getRequestURI().equals("/login")) {
            SessionFilter.session(request).bindUser("alice");
          }
          response.getWriter().print("ok");
        }
      };
      try (EmbeddedJetty jetty = EmbeddedJetty.start(servlet,
          SessionFilter.builder(manager).build(),
          RateLimitFilter.builder().limiter(limiter).keyedBy(RateLimitKey.sessionUser())
              .exclude("/login").trustedProxies(TrustedProxies.of("127.0.0.1")).build())) {
        HttpResponse<String> login = jetty.get("/login");
        String token = login.headers().firstValue("X-Session-ID").orElseThrow();
        for (String address : new String[] {"198.51.100.1", "198.51.100.2"}) {
          assertThat(jetty.send(jetty.request("/").header("X-Session-ID", token)
              .header("X-Forwarded-For", address).GET().build()).statusCode()).isEqualTo(200);
        }
        assertThat(jetty.send(jetty.request("/").header("X-Session-ID", token)
            .header("X-Forwarded-For", "198.51.100.3").GET().build()).statusCode()).isEqualTo(429);
        // Anonymous: counted per address, and no session is created for the check.
        HttpResponse<String> anonymous = jetty.send(jetty.request("/")
            .header("X-Forwarded-For", "198.51.100.3").GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.headers().allValues("Set-Cookie")).isEmpty();
      }
    }
  }
}
