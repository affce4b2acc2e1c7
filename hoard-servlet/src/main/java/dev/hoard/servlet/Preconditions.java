package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The client's {@code If-None-Match} and {@code If-Modified-Since} against a stored response (RFC 9110 §13). */
final class Preconditions {

  private Preconditions() {}

  /**
   * Whether a GET or HEAD for {@code stored} should be answered {@code 304 Not Modified}: when
   * {@code If-None-Match} is present, if it is {@code *} or lists a tag that matches by weak
   * comparison; otherwise, if {@code If-Modified-Since} is not before its {@code Last-Modified}.
   * Only 2xx responses are conditional.
   */
  public static boolean notModified(HttpServletRequest request, CachedResponse stored) {
    if (stored.status() < 200 || stored.status() > 299) {
      return false;
    }
    List<String> noneMatch = Collections.list(request.getHeaders("If-None-Match"));
    if (!noneMatch.isEmpty()) {
      String etag = stored.etag();
      for (String value : noneMatch) {
        for (String tag : entityTags(value)) {
          if (tag.equals("*") || etag != null && weaklyEqual(tag, etag)) {
            return true;
          }
        }
      }
      return false;
    }
    long since = HttpDates.parse(request.getHeader("If-Modified-Since"));
    long lastModified = HttpDates.parse(stored.header("Last-Modified"));
    return since >= 0 && lastModified >= 0 && lastModified <= since;
  }

  /** Weak comparison (RFC 9110 §8.8.3.2): the opaque tags match, whether or not either is weak. */
  static boolean weaklyEqual(String a, String b) {
    return opaque(a).equals(opaque(b));
  }

  private static String opaque(String tag) {
    String trimmed = tag.trim();
    return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
  }

  /** The entity tags of a list such as {@code W/"a", "b,c"} (commas inside quotes kept). */
  static List<String> entityTags(String value) {
    List<String> tags = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        add(tags, current);
      } else {
        current.append(c);
      }
    }
    add(tags, current);
    return tags;
  }

  private static void add(List<String> tags, StringBuilder current) {
    String tag = current.toString().trim();
    if (!tag.isEmpty()) {
      tags.add(tag);
    }
    current.setLength(0);
  }
}
