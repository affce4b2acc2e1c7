package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The filter on the shared Redis server through a {@code redis://} URL (JSON codec, the default
 * for remote stores), with a key prefix of its own.
 */
class ResponseCacheRedisIT extends ResponseCacheTestBase {

  private final String url = "redis://127.0.0.1:6379/0?prefix=hoard-test:response-cache:"
      + UUID.randomUUID() + ":" + codecParameter();

  /** The codec part of the URL: none, so the default (JSON). */
  String codecParameter() {
    return "";
  }

  @Override
  Cache openCache() {
    return Caches.open(url, clock);
  }

  @Test
  void storesVariantsRevalidatesAndInvalidatesOnRedis() throws Exception {
    origin.on("/catalogue", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=30");
      response.setHeader("Vary", "Accept-Language");
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
      if (request.getHeader("If-Modified-Since") != null) {
        response.setStatus(304);
        return;
      }
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write(request.getHeader("Accept-Language") + " catalogue " + call
          + " \u00e9t\u00e9");
    });

    get("/catalogue", "Accept-Language", "en");
    get("/catalogue", "Accept-Language", "fr");
    HttpResponse<String> english = get("/catalogue", "Accept-Language", "en");
    assertThat(cacheStatus(english)).isEqualTo("HIT");
    assertThat(english.body()).isEqualTo("en catalogue 1 \u00e9t\u00e9");
    assertThat(get("/catalogue", "Accept-Language", "fr").body()).isEqualTo("fr catalogue 2 \u00e9t\u00e9");

    // The entries live in Redis: another client of the same server and prefix sees them, the
    // URL's variant index and one entry per language.
    String primary = "GET " + server.uri("/catalogue");
    try (Cache other = Caches.open(url, clock);
        Stream<String> keys = other.keys("*")) {
      assertThat(keys.toList()).hasSize(3).contains(primary)
          .allMatch(key -> key.startsWith(primary));
    }

    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> revalidated = get("/catalogue", "Accept-Language", "en");
    assertThat(cacheStatus(revalidated)).isEqualTo("REVALIDATED");
    assertThat(revalidated.body()).isEqualTo("en catalogue 1 \u00e9t\u00e9");

    send("DELETE", "/catalogue");
    assertThat(cacheStatus(get("/catalogue", "Accept-Language", "en"))).isEqualTo("MISS");
    cache.clear();
  }
}
