package dev.hoard.servlet;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A {@link ResponseCacheFilter} over a memory cache on a {@link ManualClock}, in front of an
 * {@link Origin} on a real Jetty, and a {@code java.net.http} client to call it.
 */
abstract class ResponseCacheTestBase {

  final ManualClock clock = new ManualClock();
  final Origin origin = new Origin();
  final HttpClient client = HttpClient.newHttpClient();
  Cache cache;
  ResponseCacheFilter filter;
  CachingServer server;

  /** The cache the filter uses; a memory store on the test's clock unless overridden. */
  Cache openCache() {
    return Cache.builder(MemoryCacheStore.builder().clock(clock).build()).build();
  }

  /** The filter under test; override to configure it differently. */
  ResponseCacheFilter.Builder configure(ResponseCacheFilter.Builder builder) {
    return builder.maximumBodySize(64 * 1024);
  }

  @BeforeEach
  void startServer() throws Exception {
    cache = openCache();
    filter = configure(ResponseCacheFilter.builder(cache).clock(clock)).build();
    server = CachingServer.start(filter, origin);
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    cache.close();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** An origin handler that sets headers, then writes {@code body} as UTF-8 text. */
  static Origin.Handler text(String body, Consumer<HttpServletResponse> headers) {
    return (request, response, call) -> {
      headers.accept(response);
      response.setContentType("text/plain;charset=UTF-8");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    };
  }

  /** An origin handler whose body names the call, so tests can tell fetches apart. */
  static Origin.Handler numbered(Consumer<HttpServletResponse> headers) {
    return (request, response, call) -> {
      headers.accept(response);
      response.setContentType("text/plain;charset=UTF-8");
      response.getOutputStream().write(("call " + call).getBytes(StandardCharsets.UTF_8));
    };
  }

  static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse(null);
  }
}
