package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.servlet.testing.EmbeddedJetty;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RateLimitFilter} in a real Jetty, called over HTTP, on memory; {@link
 * RateLimitFilterOnRedisIT} runs the same scenarios on Redis.
 */
class RateLimitFilterTest {

  @Nested
  class OnMemory extends Scenarios {
    @Override
    CacheStore openStore(ManualClock clock) {
      return MemoryCacheStore.builder().clock(clock).build();
    }

    @Test
    void aFailingStoreLetsRequestsThroughByDefault() {
      BreakableStore breakable = new BreakableStore(store);
      breakable.breakDown();
      RateLimiter limiter = limiter(breakable, RateLimitAlgorithm.FIXED_WINDOW, 1);
      start(RateLimitFilter.builder().limiter(limiter).build());
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = jetty.get("/page");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit-Limit")).isEmpty();
      }
    }

    @Test
    void xPrefixedHeadersOnRequest() {
      start(RateLimitFilter.builder().limiter(limiter(RateLimitAlgorithm.FIXED_WINDOW, 1))
          .xPrefixedHeaders().build());
      HttpResponse<String> allowed = jetty.get("/page");
      assertThat(allowed.headers().firstValue("X-RateLimit-Limit")).hasValue("1");
      assertThat(allowed.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      assertThat(allowed.headers().firstValue("X-RateLimit-Reset")).isPresent();
      assertThat(allowed.headers().firstValue("X-RateLimit-Policy")).hasValue("1;w=60");
      assertThat(allowed.headers().firstValue("RateLimit-Limit")).isEmpty();
      HttpResponse<String> refused = jetty.get("/page");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      assertThat(refused.body()).startsWith("{\"error\":\"too_many_requests\",\"limit\":1,");
    }

    @Test
    void aFailingStoreRefusesWith503WhenFailingClosed() {
      BreakableStore breakable = new BreakableStore(store);
      breakable.breakDown();
      RateLimiter limiter = limiter(breakable, RateLimitAlgorithm.FIXED_WINDOW, 1);
      start(RateLimitFilter.builder().limiter(limiter).failClosed().build());
      assertThat(jetty.get("/page").statusCode()).isEqualTo(503);
      assertThat(served).hasValue(0);
      breakable.repair();
      assertThat(jetty.get("/page").statusCode()).isEqualTo(200);
    }
  }

  abstract static class Scenarios {
    private static final long HOUR = 3_600_000;

    ManualClock clock;
    CacheStore store;
    EmbeddedJetty jetty;
    final AtomicInteger served = new AtomicInteger();

    abstract CacheStore openStore(ManualClock clock);

    @BeforeEach
    void openStore() {
      // On a whole hour, so a one-minute window starts with the test; never behind Redis's clock.
      clock = new ManualClock((System.currentTimeMillis() / HOUR + 1) * HOUR);
      store = openStore(clock);
    }

    @AfterEach
    void stop() {
      if (jetty != null) {
        jetty.close();
      }
      store.clear();
      store.close();
    }

    RateLimiter limiter(CacheStore on, RateLimitAlgorithm algorithm, long limit) {
      return RateLimiter.builder(on).name("test-" + UUID.randomUUID()).algorithm(algorithm)
          .limit(limit).per(Duration.ofMinutes(1)).build();
    }

    RateLimiter limiter(RateLimitAlgorithm algorithm, long limit) {
      return limiter(store, algorithm, limit);
    }

    void start(RateLimitFilter filter) {
      jetty = EmbeddedJetty.start(filter, new HttpServlet() {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
          served.incrementAndGet();
          response.setContentType("text/plain");
          response.getWriter().print("served " + request.getRequestURI());
        }
      });
    }

    HttpResponse<String> getWith(String path, String header, String value) {
      return jetty.send(jetty.request(path).header(header, value).GET().build());
    }

    @ParameterizedTest
    @EnumSource(RateLimitAlgorithm.class)
    void refusesWith429AndHeadersThenRecovers(RateLimitAlgorithm algorithm) {
      start(RateLimitFilter.builder().limiter(limiter(algorithm, 3)).build());
      for (int remaining = 2; remaining >= 0; remaining--) {
        HttpResponse<String> allowed = jetty.get("/page");
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("served /page");
        assertThat(allowed.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(allowed.headers().firstValue("RateLimit-Remaining")).hasValue("" + remaining);
        assertThat(allowed.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(allowed.headers().firstValue("RateLimit-Policy")).hasValue("3;w=60");
        assertThat(allowed.headers().firstValue("Retry-After")).isEmpty();
      }
      HttpResponse<String> refused = jetty.get("/page");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      // A sliding window may have to wait into the next window for the old count to fade.
      assertThat(retryAfter).isBetween(1L, 120L);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(refused.body()).isEqualTo("{\"error\":\"too_many_requests\",\"limit\":3,"
          + "\"window_seconds\":60,\"retry_after_seconds\":" + retryAfter + "}");
      assertThat(served).hasValue(3);

      clock.advance(Duration.ofSeconds(retryAfter));
      assertThat(jetty.get("/page").statusCode()).isEqualTo(200);
      assertThat(served).hasValue(4);
    }

    @Test
    void routesHaveTheirOwnLimitsAndTheFirstMatchWins() {
      start(RateLimitFilter.builder()
          .route("/login", limiter(RateLimitAlgorithm.SLIDING_WINDOW, 1))
          .route("/api/*", limiter(RateLimitAlgorithm.FIXED_WINDOW, 2))
          .limiter(limiter(RateLimitAlgorithm.SLIDING_WINDOW, 100))
          .exclude("/health")
          .build());
      assertThat(jetty.get("/login").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/login").statusCode()).isEqualTo(429);
      assertThat(jetty.get("/api/a").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/api/b").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/api/c").statusCode()).isEqualTo(429);
      HttpResponse<String> other = jetty.get("/other");
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(other.headers().firstValue("RateLimit-Limit")).hasValue("100");
      HttpResponse<String> health = jetty.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("RateLimit-Limit")).isEmpty();
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() {
      start(RateLimitFilter.builder().limiter(limiter(RateLimitAlgorithm.FIXED_WINDOW, 2))
          .trustedProxies(TrustedProxies.of("10.0.0.0/8"))
          .build());
      assertThat(getWith("/", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "X-Forwarded-For", "3.3.3.3").statusCode()).isEqualTo(429);
    }

    @Test
    void aTrustedProxyNamesTheClientByTheRightMostUntrustedHop() {
      start(RateLimitFilter.builder().limiter(limiter(RateLimitAlgorithm.FIXED_WINDOW, 2))
          .trustedProxies(TrustedProxies.of("127.0.0.1", "192.168.0.0/16"))
          .build());
      assertThat(getWith("/", "X-Forwarded-For", "203.0.113.7").statusCode()).isEqualTo(200);
      // The client prepends a fake hop; our proxies appended the real one and their own.
      assertThat(getWith("/", "X-Forwarded-For", "6.6.6.6, 203.0.113.7, 192.168.1.1")
          .statusCode()).isEqualTo(200);
      assertThat(getWith("/", "X-Forwarded-For", "7.7.7.7,203.0.113.7").statusCode())
          .isEqualTo(429);
      assertThat(getWith("/", "X-Forwarded-For", "198.51.100.1").statusCode()).isEqualTo(200);
      // Forwarded is not read unless chosen, so it cannot be forged past a proxy that does not
      // write it: these all count against the proxy itself.
      assertThat(getWith("/", "Forwarded", "for=198.51.100.97").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "Forwarded", "for=198.51.100.98").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "Forwarded", "for=198.51.100.99").statusCode()).isEqualTo(429);
    }

    @Test
    void theForwardedHeaderIsReadWhenChosen() {
      start(RateLimitFilter.builder().limiter(limiter(RateLimitAlgorithm.FIXED_WINDOW, 1))
          .trustedProxies(TrustedProxies.of("127.0.0.1").readingForwarded())
          .build());
      assertThat(getWith("/", "Forwarded", "for=\"[2001:db8::1]:4711\";proto=https")
          .statusCode()).isEqualTo(200);
      assertThat(getWith("/", "Forwarded", "for=\"[2001:db8:0:0:0:0:0:1]\"").statusCode())
          .isEqualTo(429);
      assertThat(getWith("/", "Forwarded", "for=192.0.2.60, for=127.0.0.1").statusCode())
          .isEqualTo(200);
      // X-Forwarded-For is not read now: both count against the proxy.
      assertThat(getWith("/", "X-Forwarded-For", "192.0.2.61").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "X-Forwarded-For", "192.0.2.62").statusCode()).isEqualTo(429);
    }

    @Test
    void usersAreCountedApartAndAnonymousRequestsByAddress() {
      start(RateLimitFilter.builder().limiter(limiter(RateLimitAlgorithm.SLIDING_WINDOW, 1))
          .keyedBy(RateLimitKey.user(request -> request.getHeader("X-User")))
          .build());
      assertThat(getWith("/", "X-User", "alice").statusCode()).isEqualTo(200);
      assertThat(getWith("/", "X-User", "alice").statusCode()).isEqualTo(429);
      assertThat(getWith("/", "X-User", "bob").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/").statusCode()).isEqualTo(200);
      assertThat(jetty.get("/").statusCode()).isEqualTo(429);
    }

    @Test
    void aRouteKeyIsOneCountForEveryClient() {
      start(RateLimitFilter.builder()
          .route("/search", limiter(RateLimitAlgorithm.FIXED_WINDOW, 2))
          .keyedBy(RateLimitKey.route())
          .trustedProxies(TrustedProxies.of("127.0.0.1"))
          .build());
      assertThat(getWith("/search", "X-Forwarded-For", "1.1.1.1").statusCode()).isEqualTo(200);
      assertThat(getWith("/search", "X-Forwarded-For", "2.2.2.2").statusCode()).isEqualTo(200);
      assertThat(getWith("/search", "X-Forwarded-For", "3.3.3.3").statusCode()).isEqualTo(429);
      assertThat(jetty.get("/elsewhere").headers().firstValue("RateLimit-Limit")).isEmpty();
    }
  }

  @Test
  void aFilterWithoutLimitersIsRefused() {
    assertThatThrownBy(() -> RateLimitFilter.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("route(");
    assertThatThrownBy(() -> TrustedProxies.of("proxy.example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host names");
    assertThatThrownBy(() -> TrustedProxies.of("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 32");
  }
}
