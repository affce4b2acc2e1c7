package dev.hoard.cli.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code hoard proxy} over real sockets: a real origin, real proxies, a real Redis. */
class CachingProxyTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final CountDownLatch slowArrived = new CountDownLatch(1);
  private final CountDownLatch slowRelease = new CountDownLatch(1);
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
  private Server origin;
  private URI originUri;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setHeaderCacheCaseSensitive(true);
    ServerConnector connector = new ServerConnector(origin, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    origin.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response)
          throws IOException {
        answer(request, response);
      }
    }), "/*");
    origin.setHandler(context);
    origin.start();
    originUri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    slowRelease.countDown();
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    origin.stop();
  }

  private void answer(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    switch (path) {
      case "/slow" -> {
        slowArrived.countDown();
        try {
          slowRelease.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        response.getWriter().write("slow " + call);
      }
      case "/case" -> {
        // Values that differ only in letter case must reach the client as sent.
        response.setHeader("Cache-Control", request.getParameter("cc"));
        response.getWriter().write("case " + call);
      }
      default -> {
        response.setHeader("Cache-Control", "max-age=60");
        response.setHeader("Connection", "X-Internal");
        response.setHeader("X-Internal", "secret");
        response.setHeader("X-Via-Seen", String.valueOf(request.getHeader("Via")));
        if (path.startsWith("/products/")) {
          response.setHeader("Cache-Tag", "product-" + path.substring("/products/".length()));
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(path + " " + call);
      }
    }
  }

  private CachingProxy proxy(Cache cache) {
    return track(CachingProxy.builder(originUri, cache).port(0).purgeToken("s3cret").start());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  private HttpResponse<String> send(URI base, String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse(null);
  }

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
