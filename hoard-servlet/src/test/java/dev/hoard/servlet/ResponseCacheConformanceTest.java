package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The RFC 9111 / 9213 points beyond the basics: targeted cache control, {@code Age} and {@code
 * Expires} edge cases, invalidation by any unsafe method, stale answers when the origin cannot be
 * reached, and byte ranges from stored responses.
 */
class ResponseCacheConformanceTest extends ResponseCacheTestBase {

  @Test
  void cdnCacheControlTakesPrecedenceForThisCacheAndIsNotSentDownstream() throws Exception {
    origin.on("/cdn", numbered(response -> {
      response.setHeader("Cache-Control", "no-store");
      response.setHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
      response.setHeader("CDN-Cache-Control", "max-age=60");
    }));

    HttpResponse<String> miss = get("/cdn");
    HttpResponse<String> hit = get("/cdn");

    assertThat(cacheStatus(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("call 1");
    for (HttpResponse<String> response : new HttpResponse[] {miss, hit}) {
      assertThat(response.headers().firstValue("CDN-Cache-Control")).isEmpty();
      assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
    clock.advance(Duration.ofSeconds(61));
    assertThat(get("/cdn").body()).isEqualTo("call 2");
  }

  @Test
  void theOwnTargetedFieldComesFirstAndAnInvalidOneFallsBackToTheNext() throws Exception {
    origin.on("/own", numbered(response -> {
      response.setHeader("Hoard-Cache-Control", "no-store");
      response.setHeader("CDN-Cache-Control", "max-age=60");
      response.setHeader("Cache-Control", "max-age=60");
    }));
    origin.on("/empty-own", numbered(response -> {
      response.setHeader("Hoard-Cache-Control", "");
      response.setHeader("CDN-Cache-Control", "max-age=60");
    }));

    get("/own");
    HttpResponse<String> own = get("/own");
    get("/empty-own");
    HttpResponse<String> fallback = get("/empty-own");

    assertThat(own.body()).isEqualTo("call 2");
    assertThat(own.headers().firstValue("Hoard-Cache-Control")).isEmpty();
    assertThat(cacheStatus(fallback)).isEqualTo("HIT");
  }

  @Test
  void ageIsTheFirstMemberOfAListAndAnInvalidAgeIsIgnored() throws Exception {
    origin.on("/aged", numbered(response -> {
      response.setHeader("Cache-Control", "max-age=3600");
      response.setHeader("Age", "7200, 0");
    }));
    origin.on("/bad-age", numbered(response -> {
      response.setHeader("Cache-Control", "max-age=3600");
      response.setHeader("Age", "soon");
    }));

    get("/aged");
    HttpResponse<String> aged = get("/aged");
    get("/bad-age");
    HttpResponse<String> badAge = get("/bad-age");

    assertThat(aged.body()).isEqualTo("call 2");
    assertThat(cacheStatus(badAge)).isEqualTo("HIT");
    assertThat(badAge.headers().firstValue("Age")).hasValue("0");
  }

  @Test
  void anInvalidOrRepeatedExpiresMeansStale() throws Exception {
    origin.on("/one-digit-hour", numbered(response ->
        response.setHeader("Expires", "Sun, 06 Nov 2094 8:49:37 GMT")));
    origin.on("/two-expires", numbered(response -> {
      response.addHeader("Expires", "Sun, 06 Nov 2094 08:49:37 GMT");
      response.addHeader("Expires", "Mon, 07 Nov 2094 08:49:37 GMT");
    }));
    origin.on("/asctime", numbered(response ->
        response.setHeader("Expires", "Sun Nov  6 08:49:37 2094")));

    for (String path : new String[] {"/one-digit-hour", "/two-expires"}) {
      get(path);
      assertThat(get(path).body()).as(path).isEqualTo("call 2");
    }
    get("/asctime");
    assertThat(cacheStatus(get("/asctime"))).isEqualTo("HIT");
  }

  @Test
  void anyMethodNotKnownToBeSafeInvalidates() throws Exception {
    origin.on("/devices", numbered(response -> response.setHeader("Cache-Control", "max-age=600")));

    get("/devices");
    send("OPTIONS", "/devices");
    HttpResponse<String> afterOptions = get("/devices");
    send("M-SEARCH", "/devices");
    HttpResponse<String> afterSearch = get("/devices");

    assertThat(cacheStatus(afterOptions)).isEqualTo("HIT");
    assertThat(cacheStatus(afterSearch)).isEqualTo("MISS");
    assertThat(afterSearch.body()).isEqualTo("call 4");
  }

  @Test
  void aStaleResponseAnswersWhenTheOriginCannotBeReachedUnlessItForbidsIt() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    Origin.Handler handler = (request, response, call) -> {
      if (down.get()) {
        throw new IOException("connection refused");
      }
      response.setHeader("Cache-Control", request.getRequestURI().equals("/strict")
          ? "max-age=10, must-revalidate" : "max-age=10");
      response.getWriter().write("page " + call);
    };
    origin.on("/page", handler).on("/strict", handler);
    get("/page");
    get("/strict");
    down.set(true);
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> page = get("/page");
    HttpResponse<String> strict = get("/strict");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("page 1");
    assertThat(cacheStatus(page)).isEqualTo("STALE");
    assertThat(strict.statusCode()).isEqualTo(500);
  }

  @Test
  void aGatewayErrorFromAProxiedOriginAlsoCountsAsUnreachable() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    origin.on("/proxied", (request, response, call) -> {
      if (down.get()) {
        response.sendError(502);
        return;
      }
      response.setHeader("Cache-Control", "max-age=10");
      response.getWriter().write("proxied " + call);
    });
    get("/proxied");
    down.set(true);
    clock.advance(Duration.ofMinutes(5));

    HttpResponse<String> stale = get("/proxied");

    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("proxied 1");
  }

  @Test
  void rangesAreAnsweredFromAStoredCompleteResponse() throws Exception {
    origin.on("/digits", text("0123456789", response -> {
      response.setHeader("Cache-Control", "max-age=600");
      response.setHeader("ETag", "\"d1\"");
    }));
    get("/digits");

    HttpResponse<String> middle = get("/digits", "Range", "bytes=2-4");
    HttpResponse<String> suffix = get("/digits", "Range", "bytes=-3");
    HttpResponse<String> open = get("/digits", "Range", "bytes=7-");
    HttpResponse<String> beyond = get("/digits", "Range", "bytes=20-");
    HttpResponse<String> several = get("/digits", "Range", "bytes=0-1,5-6");
    HttpResponse<String> otherVersion = get("/digits", "Range", "bytes=2-4", "If-Range", "\"d0\"");
    HttpResponse<String> sameVersion = get("/digits", "Range", "bytes=2-4", "If-Range", "\"d1\"");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo("234");
    assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
    assertThat(cacheStatus(middle)).isEqualTo("HIT");
    assertThat(suffix.body()).isEqualTo("789");
    assertThat(open.body()).isEqualTo("789");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */10");
    assertThat(several.statusCode()).isEqualTo(200);
    assertThat(several.body()).isEqualTo("0123456789");
    assertThat(otherVersion.statusCode()).isEqualTo(200);
    assertThat(sameVersion.statusCode()).isEqualTo(206);
    assertThat(origin.calls("/digits")).isEqualTo(1);
  }

  @Test
  void staleWhileRevalidateRefreshesOnTheRevalidationExecutorNeverTheRequestThread()
      throws Exception {
    AtomicReference<String> refreshedOn = new AtomicReference<>();
    origin.on("/feed", (request, response, call) -> {
      if (call == 2) {
        refreshedOn.set(Thread.currentThread().getName());
      }
      response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=60");
      response.getWriter().write("call " + call);
    });
    get("/feed");
    clock.advance(Duration.ofSeconds(20));

    HttpResponse<String> stale = get("/feed");

    assertThat(cacheStatus(stale)).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo("call 1");
    await().until(() -> get("/feed").body().equals("call 2"));
    assertThat(refreshedOn.get()).startsWith("hoard-revalidate-");
  }

  @Test
  void aSaturatedRevalidationExecutorSkipsTheRefreshAndStillAnswersStale() throws Exception {
    AtomicInteger offered = new AtomicInteger();
    ResponseCacheFilter rejecting = ResponseCacheFilter.builder(cache).clock(clock)
        .revalidationExecutor(task -> {
          offered.incrementAndGet();
          throw new RejectedExecutionException("full");
        }).build();
    origin.on("/busy", numbered(response ->
        response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=60")));
    try (CachingServer busy = CachingServer.start(rejecting, origin)) {
      HttpRequest request = HttpRequest.newBuilder(busy.uri("/busy")).build();
      client.send(request, HttpResponse.BodyHandlers.ofString());
      clock.advance(Duration.ofSeconds(20));

      HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(first.body()).isEqualTo("call 1");
      assertThat(second.body()).isEqualTo("call 1");
      assertThat(cacheStatus(second)).isEqualTo("STALE");
      // The refresh is offered just after the answer is complete.
      await().until(() -> offered.get() == 2);
      assertThat(origin.calls("/busy")).isEqualTo(1);
    }
  }
}
