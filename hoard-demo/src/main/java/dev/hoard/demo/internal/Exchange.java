package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One API request as handlers see it: path variables, a checked JSON body, the session. */
final class Exchange {

  private static final String BEARER = "Bearer ";

  private final HttpServletRequest request;
  private final Map<String, String> variables;
  private final int maxBodyBytes;
  private final Clock clock;

  Exchange(
      HttpServletRequest request, Map<String, String> variables, int maxBodyBytes, Clock clock) {
    this.request = request;
    this.variables = variables;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  HttpServletRequest request() {
    return request;
  }

  /** The demo's clock's now. */
  Instant now() {
    return clock.instant();
  }

  /** A path variable as it came, such as the {@code {handle}} of a session. */
  String variable(String name) {
    return variables.get(name);
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

  /**
   * The JSON body read as {@code type}: 415 unless it is JSON in UTF-8, 413 when it is longer
   * than the limit, 400 when it is empty, not UTF-8 (over-long forms included) or malformed.
   */
  <T> T body(Class<T> type) throws IOException {
    String contentType = request.getContentType();
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw ApiException.unsupportedMediaType("send the body as JSON with Content-Type:"
          + " application/json (got " + (contentType == null ? "none" : contentType) + ")");
    }
    String text = utf8(readLimited(request.getInputStream()));
    if (text.isEmpty()) {
      throw ApiException.badBody("the body is empty; send a JSON object");
    }
    return ApiJson.read(text, type);
  }

  /** Reads the body, refusing it as soon as it passes the limit (chunked bodies say no length). */
  private byte[] readLimited(InputStream in) throws IOException {
    byte[] body = in.readNBytes(maxBodyBytes + 1);
    if (body.length > maxBodyBytes) {
      throw tooLarge(maxBodyBytes);
    }
    return body;
  }

  static ApiException tooLarge(int maxBodyBytes) {
    return ApiException.payloadTooLarge("the body is larger than " + maxBodyBytes
        + " bytes, the most this service reads");
  }

  /** Decodes strictly: Java's decoder refuses over-long forms, lone surrogates and stray bytes. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badBody("the body is not valid UTF-8; send JSON encoded as UTF-8");
    }
  }

  /** The session the request carries, if any. */
  Optional<HttpSession> existingSession() {
    return Optional.ofNullable(request.getSession(false));
  }

  /** The request's session, created when it has none. */
  HttpSession session() {
    return request.getSession(true);
  }

  /** The token of an {@code Authorization: Bearer <token>} header, if the request has one. */
  Optional<String> bearerToken() {
    String authorization = request.getHeader("Authorization");
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return Optional.of(authorization.substring(BEARER.length()).trim());
  }

  /** How the client sent its session id: {@code header} or {@code cookie}. */
  String sessionTransport() {
    return HeaderTransportFilter.isHeaderClient(request) ? "header" : "cookie";
  }

  /** The query parameter, or null. */
  String query(String name) {
    return request.getParameter(name);
  }
}
