package dev.hoard.cli.proxy;

import dev.hoard.cache.Cache;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
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

/** A real origin on a free port for {@code hoard proxy} tests, and what they start to close after. */
abstract class ProxyFixture {

  final HttpClient client = HttpClient.newHttpClient();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  final CountDownLatch slowArrived = new CountDownLatch(1);
  final CountDownLatch slowRelease = new CountDownLatch(1);
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();
  private Server origin;
  URI originUri;

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

  CachingProxy proxy(Cache cache) {
    return track(CachingProxy.builder(originUri, cache).port(0).purgeToken("s3cret").start());
  }

  <T extends AutoCloseable> T track(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  HttpResponse<String> send(URI base, String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String cacheStatus(HttpResponse<?> response) {
    return response.headers().firstValue("X-Cache").orElse(null);
  }
}
