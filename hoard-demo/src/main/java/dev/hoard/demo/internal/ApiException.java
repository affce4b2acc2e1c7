package dev.hoard.demo.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the API refuses, answered as {@code {"error": code, "message": ..., "field": ...}}
 * with the status. The message says what was wrong and what to do.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;

  private ApiException(int status, String code, String message, String field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** 400: a field is missing or out of range. */
  static ApiException invalid(String field, String message) {
    return new ApiException(400, "invalid_request", message, field);
  }

  /** 400: the body is not what the endpoint reads. */
  static ApiException badBody(String message) {
    return new ApiException(400, "invalid_request", message, null);
  }

  static ApiException unauthenticated(String message) {
    return new ApiException(401, "unauthenticated", message, null);
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, "forbidden", message, null);
  }

  /** 403 about one field, such as a wrong password confirmation. */
  static ApiException forbiddenField(String field, String message) {
    return new ApiException(403, "forbidden", message, field);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message, null);
  }

  static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "method_not_allowed", message, null);
  }

  static ApiException conflict(String field, String message) {
    return new ApiException(409, "conflict", message, field);
  }

  static ApiException payloadTooLarge(String message) {
    return new ApiException(413, "payload_too_large", message, null);
  }

  static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "unsupported_media_type", message, null);
  }

  int status() {
    return status;
  }

  /** The JSON body. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", getMessage());
    if (field != null) {
      body.put("field", field);
    }
    return body;
  }
}
