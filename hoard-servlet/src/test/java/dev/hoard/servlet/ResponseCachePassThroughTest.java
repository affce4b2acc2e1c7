package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the filter leaves alone or lets through: unsafe and unknown methods, streams, big bodies. */
class ResponseCachePassThroughTest extends ResponseCacheTestBase {

  /** Long enough that a request wrongly left waiting for another would fail the test. */
  @Override
  ResponseCacheFilter.Builder configure(ResponseCacheFilter.Builder builder) {
    return super.configure(builder).coalescingTimeout(Duration.ofMinutes(5));
  }

  @Test
  void aSuccessfulPostInvalidatesItsUrlAndItsSameOriginLocations() throws Exception {
    Origin.Handler page = numbered(response -> response.setHeader("Cache-Control", "max-age=600"));
    origin.on("/items", page).on("/items/7", page).on("/items/7/summary", page)
        .on("/elsewhere", page);
    origin.on("/items/new", (request, response, call) -> {
      response.setStatus(201);
      response.setHeader("Location", "/items/7");
      response.setHeader("Content-Location", "http://127.0.0.1:" + server.uri("/").getPort()
          + "/items/7/summary");
    });
    for (String path : new String[] {"/items", "/items/7", "/items/7/summary", "/elsewhere"}) {
      get(path);
    }

    send("POST", "/items");
    send("POST", "/items/new");

    // The POST itself was call 2 of /items.
    assertThat(get("/items").body()).isEqualTo("call 3");
    assertThat(get("/items/7").body()).isEqualTo("call 2");
    assertThat(get("/items/7/summary").body()).isEqualTo("call 2");
    assertThat(cacheStatus(get("/elsewhere"))).isEqualTo("HIT");
  }

  @Test
  void aFailedUnsafeRequestOrACrossOriginLocationInvalidatesNothing() throws Exception {
    origin.on("/stock", numbered(response -> response.setHeader("Cache-Control", "max-age=600")));
    origin.on("/stock-update", (request, response, call) -> {
      response.setStatus(request.getMethod().equals("PUT") ? 409 : 200);
      response.setHeader("Location", "http://other.example/stock");
    });
    get("/stock");

    send("PUT", "/stock-update");
    send("DELETE", "/stock-update");

    assertThat(cacheStatus(get("/stock"))).isEqualTo("HIT");
  }

  @Test
  void invalidationReachesEveryVariantOfTheUrl() throws Exception {
    origin.on("/menu", (request, response, call) -> {
      if (request.getMethod().equals("PATCH")) {
        return;
      }
      response.setHeader("Cache-Control", "max-age=600");
      response.setHeader("Vary", "Accept-Language");
      response.getWriter().write(request.getHeader("Accept-Language") + " " + call);
    });
    get("/menu", "Accept-Language", "en");
    get("/menu", "Accept-Language", "de");

    send("PATCH", "/menu");

    assertThat(get("/menu", "Accept-Language", "en").body()).isEqualTo("en 4");
    assertThat(get("/menu", "Accept-Language", "de").body()).isEqualTo("de 5");
  }

  @Test
  void unknownMethodsPassThroughUntouched() throws Exception {
    origin.on("/dav", (request, response, call) -> {
      response.setStatus(207);
      response.setHeader("Cache-Control", "max-age=600");
      response.getWriter().write(request.getMethod() + " " + call);
    });

    HttpResponse<String> first = send("PROPFIND", "/dav");
    HttpResponse<String> second = send("PROPFIND", "/dav");

    assertThat(first.statusCode()).isEqualTo(207);
    assertThat(second.body()).isEqualTo("PROPFIND 2");
    assertThat(cacheStatus(second)).isNull();
  }

  @Test
  void anUncacheableResponseStreamsThroughAsItIsFlushed() throws Exception {
    CountDownLatch firstChunkRead = new CountDownLatch(1);
    origin.on("/events", (request, response, call) -> {
      response.setHeader("Cache-Control", "no-store");
      response.setContentType("text/plain");
      response.getOutputStream().write("first\n".getBytes(StandardCharsets.UTF_8));
      response.flushBuffer();
      try {
        if (!firstChunkRead.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the client never saw the first chunk");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      response.getOutputStream().write("second\n".getBytes(StandardCharsets.UTF_8));
    });

    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(server.uri("/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      byte[] first = body.readNBytes(6);
      assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first\n");
      firstChunkRead.countDown();
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
    }
    assertThat(cacheStatus(response)).isEqualTo("MISS");
  }

  @Test
  void aBodyOverTheLimitStreamsThroughAndIsNotStored() throws Exception {
    byte[] big = new byte[200 * 1024];
    Arrays.fill(big, (byte) 'x');
    origin.on("/big", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=600");
      for (int i = 0; i < big.length; i += 1000) {
        response.getOutputStream().write(big, i, Math.min(1000, big.length - i));
      }
    });

    HttpResponse<String> first = get("/big");
    HttpResponse<String> second = get("/big");

    assertThat(first.body()).hasSize(big.length);
    assertThat(second.body()).hasSize(big.length);
    assertThat(origin.calls("/big")).isEqualTo(2);
  }

  @Test
  void aDeclaredContentLengthOverTheLimitPassesThroughBeforeAnyBodyIsBuffered() throws Exception {
    origin.on("/declared", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=600");
      response.setContentLength(100 * 1024);
      response.getOutputStream().write(new byte[100 * 1024]);
    });

    get("/declared");
    assertThat(get("/declared").body()).hasSize(100 * 1024);
    assertThat(origin.calls("/declared")).isEqualTo(2);
  }

  @Test
  void aRangeRequestThatMissesPassesThroughToTheOrigin() throws Exception {
    origin.on("/video", numbered(response -> response.setHeader("Cache-Control", "max-age=600")));
    HttpResponse<String> range = get("/video", "Range", "bytes=0-1");
    assertThat(range.body()).isEqualTo("call 1");
    assertThat(cacheStatus(range)).isNull();
    assertThat(origin.last("/video").headers()).containsEntry("Range", "bytes=0-1");
  }

  @Test
  void aRequestDoesNotWaitForAnotherWhoseResponseWillNotBeStored() throws Exception {
    CountDownLatch secondDone = new CountDownLatch(1);
    origin.on("/live", (request, response, call) -> {
      response.setHeader("Cache-Control", "no-store");
      response.getOutputStream().write(("call " + call + "\n").getBytes(StandardCharsets.UTF_8));
      response.flushBuffer();
      if (call == 1) {
        try {
          secondDone.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });

    HttpResponse<InputStream> first = client.send(
        HttpRequest.newBuilder(server.uri("/live")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = first.body()) {
      assertThat(new String(body.readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("call 1\n");
      var second = client.sendAsync(HttpRequest.newBuilder(server.uri("/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      await().until(second::isDone);
      assertThat(second.get().body()).isEqualTo("call 2\n");
      secondDone.countDown();
    }
  }
}
