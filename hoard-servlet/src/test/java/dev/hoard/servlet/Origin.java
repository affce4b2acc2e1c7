package dev.hoard.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The origin servlet of the tests: each path has a handler the test sets, and the origin counts
 * the requests it gets per path and keeps them for inspection.
 */
final class Origin extends HttpServlet {

  /** What the origin does for one path. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response, int call)
        throws IOException;
  }

  /** A request as the origin saw it. */
  record Seen(String method, String path, String query, Map<String, String> headers) {}

  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  /** Sets the handler of a path. */
  Origin on(String path, Handler handler) {
    handlers.put(path, handler);
    return this;
  }

  /** How many requests reached the origin for {@code path}. */
  int calls(String path) {
    AtomicInteger count = calls.get(path);
    return count == null ? 0 : count.get();
  }

  /** The last request the origin saw for {@code path}. */
  Seen last(String path) {
    for (int i = seen.size() - 1; i >= 0; i--) {
      if (seen.get(i).path().equals(path)) {
        return seen.get(i);
      }
    }
    throw new AssertionError("the origin saw no request for " + path);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI();
    int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, String.join(", ", Collections.list(request.getHeaders(name))));
    }
    seen.add(new Seen(request.getMethod(), path, request.getQueryString(), headers));
    Handler handler = handlers.get(path);
    if (handler == null) {
      response.sendError(404);
      return;
    }
    handler.handle(request, response, call);
  }
}
