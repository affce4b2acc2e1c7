package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter in front of reverse-proxy servlets to a separate backend server: a simple forwarding
 * servlet (synchronous and asynchronous) and Jetty's own {@code ProxyServlet}.
 */
class ResponseCacheProxyTest {

  private final ManualClock clock = new ManualClock();
  private final Origin backendOrigin = new Origin();
  private final HttpClient client = HttpClient.newHttpClient();
  private Cache cache;
  private CachingServer backend;
  private CachingServer front;

  @BeforeEach
  void startBackend() throws Exception {
    backend = CachingServer.start(null, backendOrigin);
    cache = Cache.builder(MemoryCacheStore.builder().clock(clock).build()).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (front != null) {
      front.close();
    }
    backend.close();
    cache.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(front.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "asynchronous proxy: {0}")
  @ValueSource(booleans = {false, true})
  void cachesRevalidatesAndInvalidatesThroughAProxy(boolean asynchronous) throws Exception {
    front = CachingServer.start(ResponseCacheFilter.builder(cache).clock(clock).build(),
        new ForwardingServlet(backend.uri("/"), asynchronous));
    backendOrigin.on("/api/report", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=30");
      response.setHeader("ETag", "\"report-1\"");
      response.setHeader("Connection", "X-Backend-Hop");
      response.setHeader("X-Backend-Hop", "internal");
      if ("\"report-1\"".equals(request.getHeader("If-None-Match"))) {
        response.setStatus(304);
        return;
      }
      response.setContentType("application/json");
      response.getWriter().write("{\"call\":" + call + "}");
    });
    backendOrigin.on("/api/report/refresh", (request, response, call) -> response.setStatus(204));

    HttpResponse<String> miss = get("/api/report");
    HttpResponse<String> hit = get("/api/report");
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> revalidated = get("/api/report");

    assertThat(miss.body()).isEqualTo("{\"call\":1}");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo("{\"call\":1}");
    assertThat(hit.headers().firstValue("ETag")).hasValue("\"report-1\"");
    assertThat(hit.headers().firstValue("X-Backend-Hop")).isEmpty();
    assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("{\"call\":1}");
    assertThat(backendOrigin.last("/api/report").headers())
        .containsEntry("If-None-Match", "\"report-1\"");
    assertThat(backendOrigin.calls("/api/report")).isEqualTo(2);

    client.send(HttpRequest.newBuilder(front.uri("/api/report/refresh"))
        .header("Content-Location", "/api/report")
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    client.send(HttpRequest.newBuilder(front.uri("/api/report"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> afterDelete = get("/api/report");
    assertThat(afterDelete.headers().firstValue("X-Cache")).hasValue("MISS");
    assertThat(afterDelete.body()).isEqualTo("{\"call\":4}");
  }

  @Test
  void cachesInFrontOfJettysOwnProxyServlet() throws Exception {
    front = CachingServer.start(ResponseCacheFilter.builder(cache).clock(clock).build(),
        new ProxyServlet.Transparent(),
        Map.of("proxyTo", backend.uri("/").toString()));
    backendOrigin.on("/app/page", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=30");
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
      if (request.getHeader("If-Modified-Since") != null) {
        response.setStatus(304);
        return;
      }
      response.setContentType("text/html;charset=UTF-8");
      response.getWriter().write("<p>page " + call + "</p>");
    });

    HttpResponse<String> miss = get("/app/page");
    HttpResponse<String> hit = get("/app/page");
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> revalidated = get("/app/page");

    assertThat(miss.body()).isEqualTo("<p>page 1</p>");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo("<p>page 1</p>");
    assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("<p>page 1</p>");
    assertThat(backendOrigin.calls("/app/page")).isEqualTo(2);
  }

  @Test
  void cachesInFrontOfJettysNonBlockingProxyAndStreamsWhatItDoesNotKeep() throws Exception {
    front = CachingServer.start(
        ResponseCacheFilter.builder(cache).clock(clock).maximumBodySize(32 * 1024).build(),
        new AsyncProxyServlet.Transparent(), Map.of("proxyTo", backend.uri("/").toString()));
    backendOrigin.on("/app/small", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=30");
      response.getWriter().write("small " + call);
    });
    byte[] big = new byte[256 * 1024];
    new java.util.Random(7).nextBytes(big);
    backendOrigin.on("/app/big", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=30");
      for (int i = 0; i < big.length; i += 8192) {
        response.getOutputStream().write(big, i, 8192);
        response.flushBuffer();
      }
    });

    assertThat(get("/app/small").body()).isEqualTo("small 1");
    HttpResponse<String> hit = get("/app/small");
    assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
    assertThat(hit.body()).isEqualTo("small 1");

    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> response = client.send(
          HttpRequest.newBuilder(front.uri("/app/big")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.body()).isEqualTo(big);
    }
    assertThat(backendOrigin.calls("/app/big")).isEqualTo(2);
  }
}
