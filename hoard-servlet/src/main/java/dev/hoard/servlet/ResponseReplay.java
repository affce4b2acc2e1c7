package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a stored response to a client: its status, stored header lines and body, an {@code Age}
 * and the cache status header; a {@code 304} when the client's preconditions say it already has
 * it (RFC 9110 §13, RFC 9111 §4.3.2); one byte range of it for a {@code Range} request (RFC 9110
 * §14). Fields meant for this cache only (targeted cache control) are never written.
 */
final class ResponseReplay {

  /** The response header that says how the cache answered. */
  public static final String CACHE_STATUS_HEADER = "X-Cache";

  private static final Set<String> NOT_MODIFIED_FIELDS = Set.of("cache-control",
      "content-location", "date", "etag", "expires", "vary", "last-modified");

  private final Set<String> withheld;

  /** Replays responses without the fields named in {@code withheld} (any letter case). */
  public ResponseReplay(Collection<String> withheld) {
    Set<String> lower = new HashSet<>();
    withheld.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
    this.withheld = Set.copyOf(lower);
  }

  /**
   * Answers {@code request} with {@code stored} as it is at {@code now}, labelled {@code label}
   * ({@code HIT}, {@code STALE}, ...); the body is left out for {@code HEAD}.
   */
  public void write(HttpServletRequest request, HttpServletResponse response,
      CachedResponse stored, String label, long now) throws IOException {
    String age = Long.toString(stored.age(now) / 1000);
    if (Preconditions.notModified(request, stored)) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      for (Header header : stored.headers()) {
        if (NOT_MODIFIED_FIELDS.contains(header.name().toLowerCase(Locale.ROOT))) {
          response.addHeader(header.name(), header.value());
        }
      }
      response.setHeader("Age", age);
      response.setHeader(CACHE_STATUS_HEADER, label);
      return;
    }
    ByteRange range = ByteRange.requested(request, stored);
    response.setStatus(range == null ? stored.status()
        : range.satisfiable() ? HttpServletResponse.SC_PARTIAL_CONTENT
        : HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
    Set<String> seen = new HashSet<>();
    for (Header header : stored.headers()) {
      String name = header.name().toLowerCase(Locale.ROOT);
      if (name.equals("content-type")) {
        response.setContentType(header.value());
      } else if (name.equals("content-length") || withheld.contains(name)) {
        continue;
      } else if (seen.add(name)) {
        response.setHeader(header.name(), header.value());
      } else {
        response.addHeader(header.name(), header.value());
      }
    }
    response.setHeader("Age", age);
    response.setHeader(CACHE_STATUS_HEADER, label);
    if (stored.status() == HttpServletResponse.SC_NO_CONTENT) {
      return;
    }
    if (range != null) {
      response.setHeader("Content-Range", range.contentRange());
      if (!range.satisfiable()) {
        response.setContentLength(0);
        return;
      }
    }
    int offset = range == null ? 0 : (int) range.first();
    int length = range == null ? stored.bodyLength() : (int) range.length();
    response.setContentLength(length);
    if (!request.getMethod().equals("HEAD")) {
      stored.writeBody(response.getOutputStream(), offset, length);
    }
  }
}
