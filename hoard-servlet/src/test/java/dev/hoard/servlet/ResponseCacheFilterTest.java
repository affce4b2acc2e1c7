package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter in front of a real Jetty, called over HTTP: freshness, validation, variants, safety. */
class ResponseCacheFilterTest {

  private final ManualClock clock = new ManualClock();
  private final Origin origin = new Origin();
  private final HttpClient client = HttpClient.newHttpClient();
  private Cache cache;
  private CachingServer server;

  @BeforeEach
  void start() throws Exception {
    cache = Cache.builder(MemoryCacheStore.builder().clock(clock).build()).build();
    server = CachingServer.start(
        ResponseCacheFilter.builder(cache).clock(clock).maximumBodySize(64 * 1024).build(),
        origin);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    cache.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Origin.Handler text(String body, Consumer<jakarta.servlet.http.HttpServletResponse> headers) {
    return (request, response, call) -> {
      headers.accept(response);
      response.setContentType("text/plain;charset=UTF-8");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    };
  }

  private static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse(null);
  }

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
      response.addCookie(new jakarta.servlet.http.Cookie("session", "abc"));
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
}
