package dev.hoard.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Caches;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code hoard proxy} nodes sharing a real Redis. */
class CachingProxyOnRedisIT extends ProxyFixture {

  @Test
  void twoNodesSharingRedisShareEntriesAndAPurgeOnOneIsSeenByTheOther() throws Exception {
    String url = "redis://127.0.0.1:6379/0?codec=bytes&prefix=hoard-test:proxy:"
        + UUID.randomUUID() + ":";
    CachingProxy first = proxy(track(Caches.open(url)));
    CachingProxy second = proxy(track(Caches.open(url)));

    send(first.uri(), "GET", "/products/42");
    send(first.uri(), "GET", "/about");
    HttpResponse<String> shared = send(second.uri(), "GET", "/products/42");
    assertThat(cacheStatus(shared)).isEqualTo("HIT");
    assertThat(shared.body()).isEqualTo("/products/42 1");
    assertThat(cacheStatus(send(second.uri(), "GET", "/about"))).isEqualTo("HIT");

    HttpResponse<String> refused = send(first.uri(), "PURGE", "/about");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(send(first.uri(), "PURGE", "/about", "Authorization", "Bearer s3cret")
        .statusCode()).isEqualTo(200);
    HttpResponse<String> afterUrlPurge = send(second.uri(), "GET", "/about");
    assertThat(cacheStatus(afterUrlPurge)).isEqualTo("MISS");
    assertThat(afterUrlPurge.body()).isEqualTo("/about 2");

    HttpResponse<String> tagPurge = client.send(HttpRequest.newBuilder(
            second.uri().resolve("/_hoard/purge"))
        .header("Authorization", "Bearer s3cret")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("tag=product-42")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tagPurge.statusCode()).isEqualTo(200);
    HttpResponse<String> afterTagPurge = send(first.uri(), "GET", "/products/42");
    assertThat(cacheStatus(afterTagPurge)).isEqualTo("MISS");
    assertThat(afterTagPurge.body()).isEqualTo("/products/42 2");
    assertThat(afterTagPurge.headers().firstValue("Cache-Tag")).isEmpty();
  }
}
