package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.testing.BreakableStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A failing store makes the site slower, not broken: even a strict cache's errors stay inside the filter. */
class ResponseCacheOutageTest extends ResponseCacheTestBase {

  private BreakableStore store;

  @Override
  Cache openCache() {
    store = new BreakableStore(MemoryCacheStore.builder().clock(clock).build());
    return Cache.builder(store).failureMode(FailureMode.STRICT).build();
  }

  @Test
  void requestsReachTheOriginWhileTheStoreIsDownAndHitAgainOnceItIsBack() throws Exception {
    origin.on("/page", numbered(response -> response.setHeader("Cache-Control", "max-age=60")));
    store.breakDown();

    HttpResponse<String> first = get("/page");
    HttpResponse<String> second = get("/page");
    send("POST", "/page");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("call 1");
    assertThat(second.body()).isEqualTo("call 2");

    store.repair();
    // Past the circuit breaker's cool-down (one second by default) a trial call runs in the
    // background; once it closes the breaker, a response is stored again and then served.
    clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> hit = await().atMost(Duration.ofSeconds(10))
        .until(() -> get("/page"), response -> "HIT".equals(cacheStatus(response)));
    assertThat(hit.body()).as("served from the store, not the origin")
        .isEqualTo(get("/page").body()).startsWith("call ");
  }
}
