package dev.hoard.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code hoard proxy} over real sockets: a real origin, real proxies, a memory cache. */
class CachingProxyTest extends ProxyFixture {

  @Test
  void cachesStripsConnectionNamedFieldsAndAddsNoViaUnlessAsked() throws Exception {
    Cache cache = track(Caches.open("memory://"));
    CachingProxy proxy = proxy(cache);

    HttpResponse<String> miss = send(proxy.uri(), "GET", "/page");
    HttpResponse<String> hit = send(proxy.uri(), "GET", "/page");

    assertThat(miss.body()).isEqualTo("/page 1");
    assertThat(cacheStatus(hit)).isEqualTo("HIT");
    assertThat(hit.body()).isEqualTo("/page 1");
    for (HttpResponse<String> response : List.of(miss, hit)) {
      assertThat(response.headers().firstValue("X-Internal")).isEmpty();
      assertThat(response.headers().firstValue("Via")).isEmpty();
      assertThat(response.headers().firstValue("X-Via-Seen")).hasValue("null");
    }

    CachingProxy withVia = track(CachingProxy.builder(originUri, track(Caches.open("memory://")))
        .port(0).via(true).start());
    HttpResponse<String> via = send(withVia.uri(), "GET", "/page");
    assertThat(via.headers().firstValue("Via")).isPresent();
    assertThat(via.headers().firstValue("X-Via-Seen")).isNotEqualTo("null");
  }

  @Test
  void headerValuesDifferingOnlyInCaseArePassedAsSentOnOneConnection() throws Exception {
    CachingProxy proxy = proxy(track(Caches.open("memory://")));

    HttpResponse<String> first = send(proxy.uri(), "GET", "/case?cc=max-age%3D0");
    HttpResponse<String> second = send(proxy.uri(), "GET", "/case?cc=MaX-aGe%3D0");

    assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=0");
    assertThat(second.headers().firstValue("Cache-Control")).hasValue("MaX-aGe=0");
  }

  @Test
  void metricsAndTheAccessLogCountHitsAndMisses() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    CachingProxy proxy = track(CachingProxy.builder(originUri, track(Caches.open("memory://")))
        .port(0).accessLog(log::add).start());

    send(proxy.uri(), "GET", "/counted");
    send(proxy.uri(), "GET", "/counted");
    await().until(() -> log.size() == 2);
    String metrics = send(proxy.uri(), "GET", "/metrics").body();

    assertThat(log.get(0)).contains("\"GET /counted HTTP/1.1\" 200").contains(" MISS ");
    assertThat(log.get(1)).contains(" HIT ");
    assertThat(metrics).contains("hoard_proxy_requests_seconds_count{cache=\"HIT\",status=\"2xx\"} 1\n")
        .contains("hoard_proxy_requests_seconds_count{cache=\"MISS\",status=\"2xx\"} 1\n");
  }

  @Test
  void stoppingLetsARequestInFlightFinish() throws Exception {
    CachingProxy proxy = CachingProxy.builder(originUri, track(Caches.open("memory://")))
        .port(0).stopTimeout(Duration.ofSeconds(10)).start();
    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
        HttpRequest.newBuilder(proxy.uri().resolve("/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(proxy::close);
    slowRelease.countDown();

    assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow 1");
    stopping.get(10, TimeUnit.SECONDS);
  }
}
