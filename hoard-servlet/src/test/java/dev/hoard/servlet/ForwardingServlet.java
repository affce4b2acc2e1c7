package dev.hoard.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A reverse proxy in the style of Jetty's {@code ProxyServlet}: forwards each request to a
 * backend with {@code java.net.http} and copies the answer back, synchronously or, like Jetty's,
 * from the client's callback thread inside an {@link AsyncContext}.
 */
final class ForwardingServlet extends HttpServlet {

  /** Request headers java.net.http sets itself or refuses. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length",
      "expect", "host", "upgrade", "keep-alive", "te", "transfer-encoding", "trailer");

  /**
   * Response headers the container writes itself. The rest, {@code Connection} and the fields it
   * names included, are copied as they came: this proxy is naive and leaves hop-by-hop fields to
   * the cache in front of it.
   */
  private static final Set<String> NOT_COPIED = Set.of("content-length", "transfer-encoding",
      "date");

  private final URI backend;
  private final boolean asynchronous;
  private final HttpClient client = HttpClient.newHttpClient();

  ForwardingServlet(URI backend, boolean asynchronous) {
    this.backend = backend;
    this.asynchronous = asynchronous;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String query = request.getQueryString();
    HttpRequest.Builder forward = HttpRequest.newBuilder(
            backend.resolve(request.getRequestURI() + (query == null ? "" : "?" + query)))
        .method(request.getMethod(), HttpRequest.BodyPublishers.ofByteArray(
            request.getInputStream().readAllBytes()));
    for (String name : Collections.list(request.getHeaderNames())) {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        for (String value : Collections.list(request.getHeaders(name))) {
          forward.header(name, value);
        }
      }
    }
    if (!asynchronous) {
      try {
        copy(client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray()), response);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.sendError(502);
      }
      return;
    }
    AsyncContext async = request.startAsync();
    client.sendAsync(forward.build(), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete((answer, failure) -> {
          try {
            HttpServletResponse out = (HttpServletResponse) async.getResponse();
            if (failure != null) {
              out.sendError(502);
            } else {
              copy(answer, out);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            async.complete();
          }
        });
  }

  private static void copy(HttpResponse<byte[]> answer, HttpServletResponse response)
      throws IOException {
    response.setStatus(answer.statusCode());
    for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
      if (header.getKey().startsWith(":")
          || NOT_COPIED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (String value : header.getValue()) {
        response.addHeader(header.getKey(), value);
      }
    }
    response.getOutputStream().write(answer.body());
  }
}
