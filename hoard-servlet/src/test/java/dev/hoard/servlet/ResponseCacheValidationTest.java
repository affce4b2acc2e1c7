package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Stale responses: conditional revalidation, 304 refreshes, stale-if-error, stale-while-revalidate, client directives. */
class ResponseCacheValidationTest extends ResponseCacheTestBase {

  /** An origin that knows its entity tag and answers a matching If-None-Match with 304. */
  private static Origin.Handler validating(String etag, String cacheControl, String marker) {
    return (request, response, call) -> {
      response.setHeader("Cache-Control", cacheControl);
      response.setHeader("ETag", etag);
      response.setHeader("X-Call", Integer.toString(call));
      if (etag.equals(request.getHeader("If-None-Match"))) {
        response.setStatus(304);
        return;
      }
      response.setHeader("X-Marker", marker);
      response.setContentType("text/plain");
      response.getWriter().write("body of call " + call);
    };
  }

  @Test
  void noCacheIsStoredButRevalidatedEveryTimeAndRefreshedFromA304() throws Exception {
    origin.on("/checked", validating("\"v1\"", "no-cache", "first"));

    HttpResponse<String> first = get("/checked");
    HttpResponse<String> second = get("/checked");

    assertThat(first.body()).isEqualTo("body of call 1");
    assertThat(cacheStatus(second)).isEqualTo("REVALIDATED");
    assertThat(second.body()).isEqualTo("body of call 1");
    assertThat(origin.last("/checked").headers()).containsEntry("If-None-Match", "\"v1\"");
    // Headers of the 304 replace the stored ones; the rest stay.
    assertThat(second.headers().firstValue("X-Call")).hasValue("2");
    assertThat(second.headers().firstValue("X-Marker")).hasValue("first");
    assertThat(origin.calls("/checked")).isEqualTo(2);
  }

  @Test
  void aStaleResponseIsRevalidatedWithLastModifiedAndReplacedWhenChanged() throws Exception {
    AtomicBoolean changed = new AtomicBoolean();
    String lastModified = "Tue, 01 Dec 2020 10:00:00 GMT";
    origin.on("/article", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=10");
      if (!changed.get()) {
        response.setHeader("Last-Modified", lastModified);
        if (lastModified.equals(request.getHeader("If-Modified-Since"))) {
          response.setStatus(304);
          return;
        }
      }
      response.getWriter().write("call " + call);
    });

    get("/article");
    clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> revalidated = get("/article");
    assertThat(cacheStatus(revalidated)).isEqualTo("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("call 1");
    assertThat(revalidated.headers().firstValue("Age")).hasValue("0");
    assertThat(origin.last("/article").headers()).containsEntry("If-Modified-Since", lastModified)
        .doesNotContainKey("If-None-Match");

    // Refreshed: fresh again for 10 s from the 304.
    clock.advance(Duration.ofSeconds(5));
    assertThat(cacheStatus(get("/article"))).isEqualTo("HIT");

    changed.set(true);
    clock.advance(Duration.ofSeconds(6));
    HttpResponse<String> replaced = get("/article");
    assertThat(cacheStatus(replaced)).isEqualTo("MISS");
    assertThat(replaced.body()).isEqualTo("call 3");
    assertThat(get("/article").body()).isEqualTo("call 3");
    assertThat(origin.calls("/article")).isEqualTo(3);
  }

  @Test
  void staleIfErrorServesTheStoredResponseWhenTheOriginFails() throws Exception {
    AtomicBoolean failing = new AtomicBoolean();
    origin.on("/news", (request, response, call) -> {
      if (failing.get()) {
        if (call == 2) {
          throw new IOException("origin down");
        }
        response.sendError(500);
        return;
      }
      response.setHeader("Cache-Control", "max-age=10, stale-if-error=60");
      response.getWriter().write("good news");
    });
    get("/news");
    failing.set(true);
    clock.advance(Duration.ofSeconds(30));

    HttpResponse<String> onException = get("/news");
    HttpResponse<String> onError = get("/news");

    for (HttpResponse<String> response : List.of(onException, onError)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("good news");
      assertThat(cacheStatus(response)).isEqualTo("STALE");
      assertThat(response.headers().firstValue("Age")).hasValue("30");
    }
    assertThat(origin.calls("/news")).isEqualTo(3);

    // Beyond the stale-if-error window the error gets through.
    clock.advance(Duration.ofSeconds(50));
    assertThat(get("/news").statusCode()).isEqualTo(500);
  }

  @Test
  void mustRevalidateNeverServesStaleEvenOnError() throws Exception {
    AtomicBoolean failing = new AtomicBoolean();
    origin.on("/strict", (request, response, call) -> {
      if (failing.get()) {
        response.sendError(503);
        return;
      }
      response.setHeader("Cache-Control", "max-age=10, must-revalidate, stale-if-error=60");
      response.getWriter().write("strict");
    });
    get("/strict");
    failing.set(true);
    clock.advance(Duration.ofSeconds(20));

    assertThat(get("/strict").statusCode()).isEqualTo(503);
  }

  @Test
  void staleWhileRevalidateAnswersStaleAndRefreshesOnce() throws Exception {
    origin.on("/feed", numbered(response ->
        response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=60")));
    get("/feed");
    clock.advance(Duration.ofSeconds(20));

    HttpResponse<String> stale = get("/feed");
    assertThat(cacheStatus(stale)).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo("call 1");
    assertThat(stale.headers().firstValue("Age")).hasValue("20");

    // The refresh ran after the stale answer was sent; the next request gets its result.
    await().until(() -> origin.calls("/feed") == 2);
    HttpResponse<String> refreshed = get("/feed");
    assertThat(cacheStatus(refreshed)).isEqualTo("HIT");
    assertThat(refreshed.body()).isEqualTo("call 2");
    assertThat(origin.calls("/feed")).isEqualTo(2);

    // Past the window, the client waits for the origin.
    clock.advance(Duration.ofSeconds(100));
    HttpResponse<String> late = get("/feed");
    assertThat(cacheStatus(late)).isEqualTo("MISS");
    assertThat(late.body()).isEqualTo("call 3");
  }

  @Test
  void clientNoCacheAndMaxAgeZeroForceRevalidation() throws Exception {
    origin.on("/reload", validating("\"r\"", "max-age=600", "stored"));
    get("/reload");

    HttpResponse<String> noCache = get("/reload", "Cache-Control", "no-cache");
    HttpResponse<String> maxAgeZero = get("/reload", "Cache-Control", "max-age=0");
    HttpResponse<String> pragma = get("/reload", "Pragma", "no-cache");
    HttpResponse<String> plain = get("/reload");

    assertThat(cacheStatus(noCache)).isEqualTo("REVALIDATED");
    assertThat(cacheStatus(maxAgeZero)).isEqualTo("REVALIDATED");
    assertThat(cacheStatus(pragma)).isEqualTo("REVALIDATED");
    assertThat(cacheStatus(plain)).isEqualTo("HIT");
    assertThat(origin.calls("/reload")).isEqualTo(4);
  }

  @Test
  void clientMaxAgeAndMaxStaleBoundTheAgeItAccepts() throws Exception {
    // An origin validator keeps the response stored once stale, for max-stale to reach it.
    origin.on("/bounded", numbered(response -> {
      response.setHeader("Cache-Control", "max-age=60");
      response.setHeader("ETag", "\"bounded\"");
    }));
    get("/bounded");
    clock.advance(Duration.ofSeconds(30));

    assertThat(get("/bounded", "Cache-Control", "max-age=20").body()).isEqualTo("call 2");
    clock.advance(Duration.ofSeconds(70));
    HttpResponse<String> stale = get("/bounded", "Cache-Control", "max-stale=30");
    assertThat(cacheStatus(stale)).isEqualTo("STALE");
    assertThat(stale.body()).isEqualTo("call 2");
    assertThat(get("/bounded", "Cache-Control", "max-stale=5").body()).isEqualTo("call 3");
  }

  @Test
  void onlyIfCachedGets504WhenNothingUsableIsStored() throws Exception {
    origin.on("/offline", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));

    HttpResponse<String> cold = get("/offline", "Cache-Control", "only-if-cached");
    assertThat(cold.statusCode()).isEqualTo(504);
    assertThat(origin.calls("/offline")).isZero();

    get("/offline");
    HttpResponse<String> warm = get("/offline", "Cache-Control", "only-if-cached");
    assertThat(warm.statusCode()).isEqualTo(200);
    assertThat(cacheStatus(warm)).isEqualTo("HIT");
    assertThat(origin.calls("/offline")).isEqualTo(1);
  }

  @Test
  void clientNoStoreGoesToTheOriginAndStoresNothing() throws Exception {
    origin.on("/secret", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));
    get("/secret", "Cache-Control", "no-store");
    assertThat(cacheStatus(get("/secret"))).isEqualTo("MISS");
    assertThat(origin.calls("/secret")).isEqualTo(2);
  }

  @Test
  void sMaxAgeCarriesProxyRevalidateSoNoStaleIsServed() throws Exception {
    AtomicBoolean failing = new AtomicBoolean();
    origin.on("/edge", (request, response, call) -> {
      if (failing.get()) {
        response.sendError(502);
        return;
      }
      response.setHeader("Cache-Control", "s-maxage=10, stale-if-error=60, stale-while-revalidate=60");
      response.getWriter().write("edge");
    });
    get("/edge");
    failing.set(true);
    clock.advance(Duration.ofSeconds(20));

    assertThat(get("/edge").statusCode()).isEqualTo(502);
  }

  @Test
  void theStaleAnswerReachesTheClientBeforeTheBackgroundRevalidationEnds() throws Exception {
    CountDownLatch clientAnswered = new CountDownLatch(1);
    AtomicBoolean revalidationWaitedForTheClient = new AtomicBoolean();
    origin.on("/slow-feed", (request, response, call) -> {
      if (call == 2) {
        try {
          revalidationWaitedForTheClient.set(clientAnswered.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      response.setHeader("Cache-Control", "max-age=10, stale-while-revalidate=60");
      response.getWriter().write("call " + call);
    });
    get("/slow-feed");
    clock.advance(Duration.ofSeconds(20));

    HttpResponse<String> stale = get("/slow-feed");
    clientAnswered.countDown();

    assertThat(stale.body()).isEqualTo("call 1");
    await().until(() -> get("/slow-feed").body().equals("call 2"));
    assertThat(revalidationWaitedForTheClient).isTrue();
  }
}
