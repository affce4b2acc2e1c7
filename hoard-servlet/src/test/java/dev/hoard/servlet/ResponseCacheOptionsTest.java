package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's options, end to end, and its answers to bad input. */
class ResponseCacheOptionsTest extends ResponseCacheTestBase {

  @Override
  ResponseCacheFilter.Builder configure(ResponseCacheFilter.Builder builder) {
    return builder
        .excludePaths("/admin/*")
        .ignoreQueryParameters("ref", "session_*")
        .credentialHeaders("Authorization")
        .storeWithCredentials(true)
        .cacheableStatuses(200, 404);
  }

  @Test
  void excludedPathsAreNeverCached() throws Exception {
    origin.on("/admin/users", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));
    get("/admin/users");
    HttpResponse<String> again = get("/admin/users");
    assertThat(again.body()).isEqualTo("call 2");
    assertThat(cacheStatus(again)).isNull();
  }

  @Test
  void onlyTheConfiguredParametersAreIgnored() throws Exception {
    origin.on("/search", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));
    get("/search?q=x");
    assertThat(get("/search?q=x&ref=home&session_id=1").body()).isEqualTo("call 1");
    assertThat(get("/search?q=x&utm_source=mail").body()).isEqualTo("call 2");
  }

  @Test
  void withCredentialsAllowedOnlyExplicitlyShareableResponsesAreStored() throws Exception {
    origin.on("/public", numbered(response -> response.setHeader("Cache-Control", "public, max-age=60")));
    origin.on("/implicit", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));
    origin.on("/shared", numbered(response -> response.setHeader("Cache-Control", "s-maxage=60")));

    for (String path : new String[] {"/public", "/implicit", "/shared"}) {
      get(path, "Authorization", "Bearer alice");
    }

    assertThat(cacheStatus(get("/public", "Authorization", "Bearer bob"))).isEqualTo("HIT");
    assertThat(cacheStatus(get("/shared", "Authorization", "Bearer bob"))).isEqualTo("HIT");
    assertThat(get("/implicit", "Authorization", "Bearer bob").body()).isEqualTo("call 2");
    // Cookie is not a credential header in this configuration.
    assertThat(cacheStatus(get("/public", "Cookie", "theme=dark"))).isEqualTo("HIT");
  }

  @Test
  void theStatusAllowListIsConfigurable() throws Exception {
    // 410 is heuristically cacheable by RFC 9110, but not in this configuration's list ...
    origin.on("/gone", (request, response, call) -> {
      response.setStatus(410);
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
      response.getWriter().write("call " + call);
    });
    // ... while 404 is, and gets heuristic freshness.
    origin.on("/missing", (request, response, call) -> {
      response.setStatus(404);
      response.setHeader("Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
      response.getWriter().write("call " + call);
    });
    get("/gone");
    get("/missing");
    assertThat(get("/gone").body()).isEqualTo("call 2");
    assertThat(cacheStatus(get("/missing"))).isEqualTo("HIT");
  }

  @Test
  void badOptionsAreRejectedWithTheirName() {
    Cache memory = Cache.builder(MemoryCacheStore.builder().build()).build();
    ResponseCacheFilter.Builder builder = ResponseCacheFilter.builder(memory);
    assertThatThrownBy(() -> builder.cacheableStatuses(200, 206))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("206");
    assertThatThrownBy(() -> builder.maximumBodySize(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumBodySize");
    assertThatThrownBy(() -> builder.staleRetention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleRetention");
    assertThatThrownBy(() -> builder.excludePaths("/a/["))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.credentialHeaders(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentialHeaders");
    assertThatThrownBy(() -> ResponseCacheFilter.builder(null))
        .isInstanceOf(NullPointerException.class);
  }
}
