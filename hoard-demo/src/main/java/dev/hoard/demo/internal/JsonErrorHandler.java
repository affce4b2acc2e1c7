package dev.hoard.demo.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request line, a too-long URI or header, an ambiguous
 * path, a {@code sendError} from a filter) as the API's JSON error body instead of an HTML page,
 * whatever the client's {@code Accept} says, and never with a stack trace. Since Jetty 12.1 the
 * parser's own errors (414, 431) come here too, through {@link #generateResponse}.
 */
final class JsonErrorHandler extends ErrorHandler {

  private static final String JSON = "application/json";

  JsonErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
    setShowOrigin(false);
    setShowMessageInTitle(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) throws IOException {
    if (!generateAcceptableResponse(request, response, callback, JSON,
        List.of(StandardCharsets.UTF_8), code, message, cause)) {
      callback.succeeded();
    }
  }

  @Override
  protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
      Throwable cause) {
    writer.write(body(code, message));
    writer.write('\n');
  }

  private static String body(int status, String message) {
    return ApiJson.write(Map.of("error", codeOf(status), "message", describe(status, message)));
  }

  /** The {@code error} field, the same words {@link ApiException} uses where they overlap. */
  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthenticated";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 429 -> "too_many_requests";
      case 431 -> "headers_too_large";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "http_" + status;
    };
  }

  private static String describe(int status, String message) {
    String reason = HttpStatus.getMessage(status);
    // A server error's message may name its cause; that is for the log, not the client.
    if (status >= 500 || message == null || message.isBlank() || message.equals(reason)) {
      return reason;
    }
    return reason + ": " + message;
  }
}
