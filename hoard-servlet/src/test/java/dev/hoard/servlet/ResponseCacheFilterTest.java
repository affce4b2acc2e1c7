package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the filter stores, for how long, under which key, and what it never stores. */
class ResponseCacheFilterTest extends ResponseCacheTestBase {

  @Test
  void aFreshResponseIsServedFromTheCacheWithItsAge() throws Exception {
    origin.on("/page", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write("version " + call);
    });

    HttpResponse<String> first = get("/page");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("version 1");
    assertThat(cacheStatus(first)).isEqualTo("MISS");

    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> second = get("/page");
    assertThat(second.body()).isEqualTo("version 1");
    assertThat(cacheStatus(second)).isEqualTo("HIT");
    assertThat(second.headers().firstValue("Age")).hasValue("30");
    assertThat(second.headers().firstValue("Content-Type"))
        .isEqualTo(first.headers().firstValue("Content-Type"));
    assertThat(origin.calls("/page")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> third = get("/page");
    assertThat(third.body()).isEqualTo("version 2");
    assertThat(cacheStatus(third)).isEqualTo("MISS");
    assertThat(origin.calls("/page")).isEqualTo(2);
  }

  @Test
  void aStrongEtagIsComputedAndIfNoneMatchGets304WithoutTheOrigin() throws Exception {
    origin.on("/etag", text("hello", response -> response.setHeader("Cache-Control", "max-age=60")));

    HttpResponse<String> first = get("/etag");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");

    HttpResponse<String> notModified = get("/etag", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
    assertThat(notModified.headers().firstValue("Cache-Control")).hasValue("max-age=60");

    // RFC 9110: If-None-Match uses the weak comparison, and a list may name several tags.
    assertThat(get("/etag", "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
    assertThat(get("/etag", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    assertThat(origin.calls("/etag")).isEqualTo(1);
  }

  @Test
  void aConditionalRequestThatMissesIsStillAnswered304AfterTheFetch() throws Exception {
    origin.on("/cold", text("cold", response -> response.setHeader("Cache-Control", "max-age=60")));
    String etag = get("/cold").headers().firstValue("ETag").orElseThrow();
    cache.clear();

    HttpResponse<String> response = get("/cold", "If-None-Match", etag);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(cacheStatus(response)).isEqualTo("MISS");
    assertThat(origin.last("/cold").headers()).doesNotContainKey("If-None-Match");
  }

  @Test
  void ifModifiedSinceIsAnsweredFromTheStoredLastModified() throws Exception {
    origin.on("/dated", text("dated", response -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
    }));
    get("/dated");

    assertThat(get("/dated", "If-Modified-Since", "Tue, 01 Dec 2020 10:00:00 GMT").statusCode())
        .isEqualTo(304);
    assertThat(get("/dated", "If-Modified-Since", "Tue, 01 Dec 2020 09:59:59 GMT").statusCode())
        .isEqualTo(200);
    assertThat(origin.calls("/dated")).isEqualTo(1);
  }

  @Test
  void variantsAreKeptApartByTheHeadersTheResponseVariesOn() throws Exception {
    origin.on("/hello", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.setHeader("Vary", "Accept-Language, Accept-Encoding");
      response.setContentType("text/plain;charset=UTF-8");
      String language = request.getHeader("Accept-Language");
      response.getWriter().write(("fr".equals(language) ? "bonjour" : "hello")
          + " " + request.getHeader("Accept-Encoding"));
    });

    assertThat(get("/hello", "Accept-Language", "en", "Accept-Encoding", "gzip").body())
        .isEqualTo("hello gzip");
    assertThat(get("/hello", "Accept-Language", "fr", "Accept-Encoding", "gzip").body())
        .isEqualTo("bonjour gzip");
    assertThat(get("/hello", "Accept-Language", "fr", "Accept-Encoding", "br").body())
        .isEqualTo("bonjour br");
    assertThat(origin.calls("/hello")).isEqualTo(3);

    HttpResponse<String> english = get("/hello", "Accept-Language", "en", "Accept-Encoding", "gzip");
    HttpResponse<String> french = get("/hello", "Accept-Language", "fr", "Accept-Encoding", "gzip");
    // Whitespace differences do not make a new variant (RFC 9111 §4.1 normalisation).
    HttpResponse<String> frenchBr = get("/hello", "Accept-Language", " fr", "Accept-Encoding", "br ");
    assertThat(english.body()).isEqualTo("hello gzip");
    assertThat(french.body()).isEqualTo("bonjour gzip");
    assertThat(frenchBr.body()).isEqualTo("bonjour br");
    assertThat(cacheStatus(english)).isEqualTo("HIT");
    assertThat(cacheStatus(french)).isEqualTo("HIT");
    assertThat(cacheStatus(frenchBr)).isEqualTo("HIT");
    assertThat(origin.calls("/hello")).isEqualTo(3);
  }

  @Test
  void varyStarIsNeverStored() throws Exception {
    origin.on("/star", text("star", response -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.setHeader("Vary", "*");
    }));
    get("/star");
    assertThat(cacheStatus(get("/star"))).isEqualTo("MISS");
    assertThat(origin.calls("/star")).isEqualTo(2);
  }

  @Test
  void privateNoStoreAndCookieSettingResponsesAreNotStored() throws Exception {
    origin.on("/private", text("mine", response -> response.setHeader("Cache-Control", "private, max-age=60")));
    origin.on("/no-store", text("gone", response -> response.setHeader("Cache-Control", "no-store, max-age=60")));
    origin.on("/cookie", text("cookie", response -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.addCookie(new Cookie("session", "abc"));
    }));
    origin.on("/set-cookie", text("cookie", response -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.addHeader("Set-Cookie", "id=1; Path=/");
    }));

    for (String path : new String[] {"/private", "/no-store", "/cookie", "/set-cookie"}) {
      get(path);
      HttpResponse<String> again = get(path);
      assertThat(cacheStatus(again)).as(path).isEqualTo("MISS");
      assertThat(origin.calls(path)).as(path).isEqualTo(2);
    }
    assertThat(get("/cookie").headers().allValues("Set-Cookie")).hasSize(1);
  }

  @Test
  void requestsWithCredentialsBypassTheCache() throws Exception {
    origin.on("/account", text("account", response -> response.setHeader("Cache-Control", "max-age=60")));

    get("/account", "Authorization", "Bearer alice");
    HttpResponse<String> again = get("/account", "Authorization", "Bearer alice");
    get("/account", "Cookie", "session=bob");

    assertThat(origin.calls("/account")).isEqualTo(3);
    assertThat(cacheStatus(again)).isNull();
    // And nothing stored under the URL for anonymous requests either.
    assertThat(cacheStatus(get("/account"))).isEqualTo("MISS");
  }

  @Test
  void sMaxAgeWinsOverMaxAgeInASharedCache() throws Exception {
    origin.on("/shared", text("shared", response -> response.setHeader("Cache-Control", "max-age=10, s-maxage=100")));
    get("/shared");
    clock.advance(Duration.ofSeconds(50));
    HttpResponse<String> response = get("/shared");
    assertThat(cacheStatus(response)).isEqualTo("HIT");
    assertThat(response.headers().firstValue("Age")).hasValue("50");
    assertThat(origin.calls("/shared")).isEqualTo(1);
  }

  @Test
  void expiresGivesFreshnessRelativeToDate() throws Exception {
    long now = clock.millis();
    origin.on("/expires", text("expires", response -> {
      response.setDateHeader("Date", now);
      response.setDateHeader("Expires", now + 120_000);
    }));
    get("/expires");
    clock.advance(Duration.ofSeconds(100));
    assertThat(cacheStatus(get("/expires"))).isEqualTo("HIT");
    clock.advance(Duration.ofSeconds(30));
    assertThat(cacheStatus(get("/expires"))).isEqualTo("MISS");
  }

  @Test
  void trackingParametersAreLeftOutOfTheKeyAndTheRestIsSorted() throws Exception {
    origin.on("/landing", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));

    get("/landing?a=1&b=2");
    HttpResponse<String> tracked = get("/landing?b=2&utm_source=mail&a=1&fbclid=x&gclid=y&UTM_Medium=z");
    HttpResponse<String> other = get("/landing?a=1&b=3");

    assertThat(cacheStatus(tracked)).isEqualTo("HIT");
    assertThat(tracked.body()).isEqualTo("call 1");
    assertThat(other.body()).isEqualTo("call 2");
    // The origin still gets the query as the client sent it.
    assertThat(origin.last("/landing").query()).isEqualTo("a=1&b=3");
  }

  @Test
  void headIsAnsweredFromAStoredGet() throws Exception {
    origin.on("/doc", text("twelve bytes", response -> response.setHeader("Cache-Control", "max-age=60")));
    get("/doc");

    HttpResponse<String> head = send("HEAD", "/doc");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(head)).isEqualTo("HIT");
    assertThat(head.headers().firstValue("Content-Length")).hasValue("12");
    assertThat(head.body()).isEmpty();
    assertThat(origin.calls("/doc")).isEqualTo(1);
  }

  @Test
  void aHeadMissGoesToTheOriginAsHeadAndIsNotStored() throws Exception {
    origin.on("/head-first", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));

    send("HEAD", "/head-first");
    HttpResponse<String> get = get("/head-first");

    assertThat(origin.last("/head-first").method()).isEqualTo("GET");
    assertThat(cacheStatus(get)).isEqualTo("MISS");
    assertThat(origin.calls("/head-first")).isEqualTo(2);
  }

  @Test
  void storedResponsesReplayStatusAndHeadersInOrderLessHopByHopAndConnectionNamedOnes()
      throws Exception {
    origin.on("/moved", (request, response, call) -> {
      response.setStatus(301);
      response.setHeader("Cache-Control", "max-age=60, community=\"UCI\", x-unknown");
      response.setHeader("Location", "/elsewhere");
      response.addHeader("X-Multi", "one");
      response.addHeader("X-Other", "between");
      response.addHeader("X-Multi", "two");
      response.setHeader("Connection", "X-Hop");
      response.setHeader("X-Hop", "for the next hop only");
      response.setHeader("Keep-Alive", "timeout=5");
      response.setHeader("Age", "7");
      response.getWriter().write("moved");
    });

    get("/moved");
    HttpResponse<String> hit = get("/moved");

    assertThat(hit.statusCode()).isEqualTo(301);
    assertThat(cacheStatus(hit)).isEqualTo("HIT");
    assertThat(hit.headers().firstValue("Location")).hasValue("/elsewhere");
    assertThat(hit.headers().firstValue("Cache-Control"))
        .hasValue("max-age=60, community=\"UCI\", x-unknown");
    assertThat(hit.headers().allValues("X-Multi")).containsExactly("one", "two");
    assertThat(hit.headers().firstValue("X-Other")).hasValue("between");
    assertThat(hit.headers().firstValue("X-Hop")).isEmpty();
    assertThat(hit.headers().firstValue("Keep-Alive")).isEmpty();
    // The origin said the response was already 7 s old when it left.
    assertThat(hit.headers().firstValue("Age")).hasValue("7");
    assertThat(hit.body()).isEqualTo("moved");
    assertThat(origin.calls("/moved")).isEqualTo(1);
  }

  @Test
  void heuristicFreshnessIsTenPercentOfTheLastModifiedAgeForHeuristicallyCacheableStatuses()
      throws Exception {
    long now = clock.millis();
    Origin.Handler lastModifiedTenHoursAgo = (request, response, call) -> {
      response.setStatus(request.getRequestURI().equals("/found") ? 302 : 200);
      response.setDateHeader("Last-Modified", now - Duration.ofHours(10).toMillis());
      response.getWriter().write("call " + call);
    };
    origin.on("/heuristic", lastModifiedTenHoursAgo);
    origin.on("/found", lastModifiedTenHoursAgo);

    get("/heuristic");
    get("/found");
    clock.advance(Duration.ofMinutes(59));
    assertThat(cacheStatus(get("/heuristic"))).isEqualTo("HIT");
    // 302 is not heuristically cacheable: without explicit freshness it is stale at once.
    assertThat(get("/found").body()).isEqualTo("call 2");
    clock.advance(Duration.ofMinutes(2));
    HttpResponse<String> expired = get("/heuristic");
    assertThat(cacheStatus(expired)).isNotEqualTo("HIT");
    assertThat(expired.body()).isEqualTo("call 2");
  }

  @Test
  void anyFinalStatusIsStoredWithExplicitFreshnessButOnlyTheAllowListHeuristically()
      throws Exception {
    origin.on("/teapot", (request, response, call) -> {
      response.setStatus(418);
      response.setHeader("Cache-Control", "max-age=60");
      response.getWriter().write("call " + call);
    });
    origin.on("/forbidden", (request, response, call) -> {
      response.setStatus(403);
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
      response.getWriter().write("call " + call);
    });
    origin.on("/temporary", (request, response, call) -> {
      response.setStatus(307);
      response.setHeader("Location", "/elsewhere");
      response.setHeader("Cache-Control", "max-age=60");
    });

    get("/teapot");
    HttpResponse<String> teapot = get("/teapot");
    get("/forbidden");
    HttpResponse<String> forbidden = get("/forbidden");
    get("/temporary");
    HttpResponse<String> temporary = get("/temporary");

    assertThat(teapot.statusCode()).isEqualTo(418);
    assertThat(cacheStatus(teapot)).isEqualTo("HIT");
    assertThat(teapot.body()).isEqualTo("call 1");
    assertThat(forbidden.body()).isEqualTo("call 2");
    assertThat(cacheStatus(temporary)).isEqualTo("HIT");
    assertThat(temporary.statusCode()).isEqualTo(307);
  }

  @Test
  void aResponseWithoutFreshnessOrValidatorIsNotStored() throws Exception {
    origin.on("/plain", numbered(response -> { }));
    get("/plain");
    assertThat(get("/plain").body()).isEqualTo("call 2");
  }

  @Test
  void concurrentMissesOnOneUrlCostTheOriginOneRequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    origin.on("/hot", (request, response, call) -> {
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      response.setHeader("Cache-Control", "max-age=60");
      response.getWriter().write("call " + call);
    });

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(client.sendAsync(HttpRequest.newBuilder(server.uri("/hot")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    // All five are inside the server and only one reached the origin: the others wait in the filter.
    await()
        .until(() -> server.activeRequests() == 5 && origin.calls("/hot") == 1);
    release.countDown();

    for (var call : calls) {
      assertThat(call.get().body()).isEqualTo("call 1");
    }
    assertThat(origin.calls("/hot")).isEqualTo(1);
  }

  @Test
  void aCookieAddedAfterTheBodyBeganStopsStoringAndStillReachesTheClient() throws Exception {
    origin.on("/late-cookie", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.getWriter().write("call " + call);
      response.getWriter().flush();
      response.addCookie(new Cookie("late", "yes"));
    });

    HttpResponse<String> first = get("/late-cookie");
    HttpResponse<String> second = get("/late-cookie");

    assertThat(first.headers().allValues("Set-Cookie")).singleElement().asString().contains("late=yes");
    assertThat(first.body()).isEqualTo("call 1");
    assertThat(second.body()).isEqualTo("call 2");
  }

  @Test
  void anAsynchronousOriginIsStoredWhetherItCompletesBeforeOrAfterReturning() throws Exception {
    for (boolean beforeReturning : new boolean[] {true, false}) {
      String path = "/async-" + beforeReturning;
      CountDownLatch returned = new CountDownLatch(1);
      origin.on(path, (request, response, call) -> {
        AsyncContext async = request.startAsync();
        Thread writer = new Thread(() -> {
          try {
            if (!beforeReturning) {
              returned.await();
            }
            HttpServletResponse out = (HttpServletResponse) async.getResponse();
            out.setHeader("Cache-Control", "max-age=60");
            out.getWriter().write("async call " + call);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          } finally {
            async.complete();
          }
        });
        writer.start();
        if (beforeReturning) {
          try {
            writer.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        returned.countDown();
      });

      HttpResponse<String> first = get(path);
      HttpResponse<String> second = get(path);

      assertThat(first.body()).as(path).isEqualTo("async call 1");
      assertThat(cacheStatus(second)).as(path).isEqualTo("HIT");
      assertThat(second.body()).as(path).isEqualTo("async call 1");
    }
  }

  @Test
  void heuristicFreshnessIsCappedAtOneDayByDefault() throws Exception {
    long now = clock.millis();
    origin.on("/ancient", (request, response, call) -> {
      response.setDateHeader("Last-Modified", now - Duration.ofDays(100).toMillis());
      response.getWriter().write("call " + call);
    });
    get("/ancient");
    clock.advance(Duration.ofHours(23));
    assertThat(cacheStatus(get("/ancient"))).isEqualTo("HIT");
    clock.advance(Duration.ofHours(2));
    assertThat(get("/ancient").body()).isEqualTo("call 2");
  }
}
