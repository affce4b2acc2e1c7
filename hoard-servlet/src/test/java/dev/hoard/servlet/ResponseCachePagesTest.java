package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The page cache: a default TTL, per-path rules with their TTL and vary headers, the condition
 * hook, and tags that invalidate every page showing one thing in one call.
 */
class ResponseCachePagesTest extends ResponseCacheTestBase {

  @Override
  ResponseCacheFilter.Builder configure(ResponseCacheFilter.Builder builder) {
    return builder
        .defaultTtl(Duration.ofSeconds(60))
        .rule(PageRule.path("/api/products/*").ttl(Duration.ofMinutes(5)).vary("Accept-Language"))
        .rule(PageRule.path("/api/*").vary("X-Tenant"))
        .cacheIf((request, response) -> !"no".equals(response.getHeader("X-Cacheable")));
  }

  @Test
  void theDefaultTtlAppliesOnlyToResponsesWithoutFreshnessAndStaysInTheCache() throws Exception {
    origin.on("/plain", numbered(response -> { }));
    origin.on("/explicit", numbered(response -> response.setHeader("Cache-Control", "max-age=5")));
    origin.on("/error", (request, response, call) -> response.sendError(500));

    HttpResponse<String> miss = get("/plain");
    HttpResponse<String> hit = get("/plain");
    get("/explicit");
    clock.advance(Duration.ofSeconds(6));
    HttpResponse<String> explicit = get("/explicit");
    get("/error");
    get("/error");

    assertThat(cacheStatus(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("call 1");
    assertThat(miss.headers().map()).doesNotContainKey("hoard-cache-control");
    assertThat(hit.headers().map()).doesNotContainKey("hoard-cache-control");
    assertThat(explicit.body()).isEqualTo("call 2");
    assertThat(origin.calls("/error")).isEqualTo(2);
    clock.advance(Duration.ofSeconds(60));
    assertThat(get("/plain").body()).isEqualTo("call 2");
  }

  @Test
  void aPathRuleOverridesTheOriginsFreshnessAndVariesOnItsHeaders() throws Exception {
    origin.on("/api/products/42", (request, response, call) -> {
      response.setHeader("Cache-Control", "max-age=0");
      response.getWriter().write(request.getHeader("Accept-Language") + " " + call);
    });

    get("/api/products/42", "Accept-Language", "en");
    get("/api/products/42", "Accept-Language", "fr");
    clock.advance(Duration.ofMinutes(4));
    HttpResponse<String> english = get("/api/products/42", "Accept-Language", "en");
    HttpResponse<String> french = get("/api/products/42", "Accept-Language", "fr");

    assertThat(english.body()).isEqualTo("en 1");
    assertThat(french.body()).isEqualTo("fr 2");
    assertThat(cacheStatus(french)).isEqualTo("HIT");
    assertThat(english.headers().firstValue("Vary")).hasValue("Accept-Language");
    assertThat(english.headers().firstValue("Cache-Control")).hasValue("max-age=0");
    clock.advance(Duration.ofMinutes(2));
    assertThat(get("/api/products/42", "Accept-Language", "en").body()).isEqualTo("en 3");
  }

  @Test
  void aRuleNeverStoresWhatTheResponseForbidsOrTheConditionRefuses() throws Exception {
    origin.on("/api/products/private",
        numbered(response -> response.setHeader("Cache-Control", "private")));
    origin.on("/api/products/refused", numbered(response -> response.setHeader("X-Cacheable", "no")));

    for (String path : new String[] {"/api/products/private", "/api/products/refused"}) {
      get(path);
      assertThat(get(path).body()).as(path).isEqualTo("call 2");
    }
  }

  @Test
  void aRuleWithoutTtlAddsItsVaryToTheDefaultTtl() throws Exception {
    origin.on("/api/orders", (request, response, call) ->
        response.getWriter().write(request.getHeader("X-Tenant") + " " + call));

    get("/api/orders", "X-Tenant", "a");
    HttpResponse<String> other = get("/api/orders", "X-Tenant", "b");
    HttpResponse<String> same = get("/api/orders", "X-Tenant", "a");

    assertThat(other.body()).isEqualTo("b 2");
    assertThat(same.body()).isEqualTo("a 1");
    assertThat(cacheStatus(same)).isEqualTo("HIT");
  }

  @Test
  void invalidatingATagDropsEveryPageShowingIt() throws Exception {
    origin.on("/products/42", numbered(response ->
        response.setHeader("Cache-Tag", "product-42")));
    origin.on("/products/7", numbered(response ->
        response.setHeader("Surrogate-Key", "product-7 catalogue")));
    origin.on("/products", numbered(response -> {
      response.setHeader("Vary", "Accept-Language");
      response.setHeader("Cache-Tag", "catalogue, product-42,product-7");
    }));
    for (String path : new String[] {"/products/42", "/products/7", "/products"}) {
      get(path);
      HttpResponse<String> hit = get(path);
      assertThat(cacheStatus(hit)).as(path).isEqualTo("HIT");
      assertThat(hit.headers().map()).doesNotContainKeys("cache-tag", "surrogate-key");
    }

    filter.invalidateTags("product-42");

    assertThat(cacheStatus(get("/products/42"))).isEqualTo("MISS");
    assertThat(cacheStatus(get("/products"))).isEqualTo("MISS");
    assertThat(cacheStatus(get("/products/7"))).isEqualTo("HIT");
  }

  @Test
  void invalidatingAUrlDropsItsStoredResponse() throws Exception {
    origin.on("/news", numbered(response -> { }));
    get("/news?page=1");
    filter.invalidate(server.uri("/news?page=1").toString());

    assertThat(get("/news?page=1").body()).isEqualTo("call 2");
    assertThatThrownBy(() -> filter.invalidate("/news"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute URL");
  }

  @Test
  void badRulesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> PageRule.path(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PageRule.path");
    assertThatThrownBy(() -> PageRule.path("/a/*").ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PageRule.ttl");
    assertThatThrownBy(() -> PageRule.path("/a/*").vary(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PageRule.vary");
    assertThatThrownBy(() -> ResponseCacheFilter.builder(cache).keyOrigin("origin:8000"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyOrigin");
  }
}
