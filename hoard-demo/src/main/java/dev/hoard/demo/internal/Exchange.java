package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One API request as handlers see it: path variables, a checked JSON body, the session. */
final class Exchange {

  private final HttpServletRequest request;
  private final Map<String, String> variables;

  Exchange(HttpServletRequest request, Map<String, String> variables) {
    this.request = request;
    this.variables = variables;
  }

  HttpServletRequest request() {
    return request;
  }

  /** A numeric path variable such as the {@code {id}} of {@code /api/tasks/{id}}. */
  long id(String name) {
    String value = variables.get(name);
    try {
      long id = Long.parseLong(value);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // Answered below, like a non-positive number.
    }
    throw ApiException.invalid(name, name + " must be a positive whole number, was '" + value + "'");
  }

  /** The JSON body read as {@code type}: 415 unless it is JSON, 400 when it is empty or malformed. */
  <T> T body(Class<T> type) throws IOException {
    String contentType = request.getContentType();
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiException.unsupportedMediaType("send the body as JSON with Content-Type:"
          + " application/json (got " + (contentType == null ? "none" : contentType) + ")");
    }
    PushbackInputStream in = new PushbackInputStream(request.getInputStream());
    int first = in.read();
    if (first == -1) {
      throw ApiException.badBody("the body is empty; send a JSON object");
    }
    in.unread(first);
    return Json.read(in, type);
  }

  /** The session the request carries, if any. */
  Optional<HttpSession> existingSession() {
    return Optional.ofNullable(request.getSession(false));
  }

  /** The request's session, created when it has none. */
  HttpSession session() {
    return request.getSession(true);
  }

  /** How the client sent its session id: {@code header} or {@code cookie}. */
  String sessionTransport() {
    String authorization = request.getHeader("Authorization");
    boolean header = request.getHeader("X-Session-ID") != null
        || (authorization != null
            && authorization.regionMatches(true, 0, "Session ", 0, "Session ".length()));
    return header ? "header" : "cookie";
  }

  /** The query parameter, or null. */
  String query(String name) {
    return request.getParameter(name);
  }
}
