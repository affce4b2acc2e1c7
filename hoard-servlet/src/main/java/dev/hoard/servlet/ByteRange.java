package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;

/**
 * The one byte range a {@code GET} asks of a stored complete response (RFC 9110 §14), resolved
 * against its length. A request with several ranges gets the whole response, which §14.2 allows:
 * serving many small parts from memory buys a client nothing a 200 does not.
 *
 * @param first the first byte, inclusive; for an unsatisfiable range, the body length
 * @param last the last byte, inclusive; for an unsatisfiable range, -1
 * @param complete the body length
 */
record ByteRange(long first, long last, long complete) {

  /**
   * The range to answer {@code request} with from {@code stored}, or {@code null} when the whole
   * response answers it: no {@code Range}, not a {@code GET}, not a {@code 200}, a unit other than
   * bytes, a malformed or multiple range, or an {@code If-Range} that does not match.
   */
  public static ByteRange requested(HttpServletRequest request, CachedResponse stored) {
    List<String> values = Collections.list(request.getHeaders("Range"));
    if (values.size() != 1 || !request.getMethod().equals("GET") || stored.status() != 200
        || !ifRangeMatches(request.getHeader("If-Range"), stored)) {
      return null;
    }
    String value = values.get(0).trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String spec = value.substring(6).trim();
    if (spec.contains(",")) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    long length = stored.bodyLength();
    String from = spec.substring(0, dash).trim();
    String to = spec.substring(dash + 1).trim();
    try {
      if (from.isEmpty()) {
        long suffix = digits(to);
        if (suffix == 0) {
          return unsatisfiable(length);
        }
        return length == 0 ? unsatisfiable(0)
            : new ByteRange(Math.max(0, length - suffix), length - 1, length);
      }
      long first = digits(from);
      long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
      if (last < first) {
        return null;
      }
      if (first >= length) {
        return unsatisfiable(length);
      }
      return new ByteRange(first, Math.min(last, length - 1), length);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ByteRange unsatisfiable(long length) {
    return new ByteRange(length, -1, length);
  }

  /** An HTTP-date If-Range matches an equal Last-Modified; an entity tag must match strongly. */
  private static boolean ifRangeMatches(String ifRange, CachedResponse stored) {
    if (ifRange == null) {
      return true;
    }
    String condition = ifRange.trim();
    if (condition.startsWith("\"")) {
      String etag = stored.etag();
      return etag != null && !etag.startsWith("W/") && etag.equals(condition);
    }
    long date = HttpDates.parse(condition);
    return date >= 0 && date == HttpDates.parse(stored.header("Last-Modified"));
  }

  private static long digits(String text) {
    if (text.isEmpty() || text.length() > 18) {
      throw new NumberFormatException(text);
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        throw new NumberFormatException(text);
      }
    }
    return Long.parseLong(text);
  }

  /** Whether any byte of the body is in the range (else the answer is {@code 416}). */
  public boolean satisfiable() {
    return last >= first;
  }

  /** The number of bytes in the range. */
  public long length() {
    return satisfiable() ? last - first + 1 : 0;
  }

  /** The {@code Content-Range} value: {@code bytes 0-99/1000}, or {@code bytes *}{@code /1000}. */
  public String contentRange() {
    return satisfiable() ? "bytes " + first + "-" + last + "/" + complete
        : "bytes */" + complete;
  }
}
