package dev.hoard.demo.internal;

import dev.hoard.session.SessionStoreUnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every JSON endpoint from {@link Routes}: the handler's value as JSON, an {@link
 * ApiException} as its status and error body, a session store outage to {@code SessionFilter}
 * (503), anything else as a 500 whose cause goes to the log and never to the client.
 */
final class ApiServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(ApiServlet.class);

  private final transient Routes routes;
  private final int maxBodyBytes;
  private final transient Clock clock;

  /** Serves {@code routes}, reading request bodies of at most {@code maxBodyBytes}. */
  ApiServlet(Routes routes, int maxBodyBytes, Clock clock) {
    this.routes = routes;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    request.setAttribute(RequestMetricsFilter.ROUTE, "unmatched");
    // Every answer is about one user or one moment: never stored by browsers or proxies.
    response.setHeader("Cache-Control", "no-store");
    int status;
    Object body;
    try {
      Routes.Match match = routes.match(request.getMethod(), request.getRequestURI());
      request.setAttribute(RequestMetricsFilter.ROUTE, match.template());
      Object result =
          match.handler().handle(new Exchange(request, match.variables(), maxBodyBytes, clock));
      if (result instanceof Reply reply) {
        status = reply.status();
        body = reply.body();
      } else {
        status = 200;
        body = result;
      }
    } catch (ApiException e) {
      status = e.status();
      body = e.body();
    } catch (SessionStoreUnavailableException e) {
      throw e; // SessionFilter answers it: 503 with Retry-After, the session kept for later
    } catch (RuntimeException e) {
      log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
      status = 500;
      body = Map.of("error", "internal_error",
          "message", "the server failed to answer; its log has the details");
    }
    write(request, response, status, body);
  }

  /** Writes {@code body} as the JSON answer with this status; {@code null} writes no body. */
  static void write(
      HttpServletRequest request, HttpServletResponse response, int status, Object body)
      throws IOException {
    response.setStatus(status);
    if (body == null) {
      return;
    }
    response.setContentType("application/json;charset=utf-8");
    if (request.getMethod().equals("HEAD")) {
      return;
    }
    try (OutputStream out = response.getOutputStream()) {
      ApiJson.write(body, out);
    }
  }
}
