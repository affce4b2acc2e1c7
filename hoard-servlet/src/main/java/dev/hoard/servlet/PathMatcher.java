package dev.hoard.servlet;

import dev.hoard.cache.spi.Glob;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Objects;

/**
 * How Hoard's filters match their path patterns (rate-limit routes, session and cache exclusions,
 * CSRF exemptions) against a request: against the path the application resolves, so that every
 * spelling a router accepts for one route falls under the same rule. Immutable.
 *
 * <p>The path is the servlet path plus path info, which the container has already decoded
 * ({@code %6C} is {@code l}), stripped of {@code ;parameters} and cleared of {@code .} and {@code
 * ..} segments. On top of that, runs of slashes count as one ({@code //api}) and a trailing slash
 * is dropped ({@code /login/} is {@code /login}), since routers commonly accept both; patterns are
 * normalised the same way, so {@code route("/login/")} and {@code route("/login")} are one rule.
 * When the container cannot give that path (a URI it finds ambiguous, such as one with {@code
 * %2F}), the request URI is decoded and normalised here, with {@code %2F} counting as a slash.
 *
 * <p>Letter case counts unless {@link #ignoringCase()} is chosen: use it when the container or
 * router resolves {@code /LOGIN} to the same handler as {@code /login}.
 */
public final class PathMatcher {

  private static final PathMatcher STANDARD = new PathMatcher(false);
  private static final PathMatcher IGNORING_CASE = new PathMatcher(true);

  private final boolean ignoreCase;

  private PathMatcher(boolean ignoreCase) {
    this.ignoreCase = ignoreCase;
  }

  /** Letter case counts: {@code /Login} is not {@code /login}. Every filter's default. */
  public static PathMatcher standard() {
    return STANDARD;
  }

  /** Letter case does not count, for containers that resolve paths regardless of case. */
  public static PathMatcher ignoringCase() {
    return IGNORING_CASE;
  }

  /** The path of {@code request} inside the application, normalised as this matcher compares it. */
  public String pathOf(HttpServletRequest request) {
    String resolved;
    try {
      String servletPath = request.getServletPath();
      String pathInfo = request.getPathInfo();
      resolved = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    } catch (RuntimeException e) {
      // Jetty refuses to give the servlet path of a URI it deems ambiguous (%2F, %2E…).
      resolved = null;
    }
    if (resolved == null || resolved.isEmpty()) {
      String uri = request.getRequestURI();
      String context = request.getContextPath();
      String inContext = context != null && uri.startsWith(context)
          ? uri.substring(context.length()) : uri;
      resolved = decode(inContext);
    }
    return normalize(resolved);
  }

  /**
   * {@code path} as this matcher compares it: {@code ;parameters} of each segment, empty and
   * {@code .} segments and a trailing slash removed, {@code ..} resolved, and lower-cased when
   * {@linkplain #ignoringCase() ignoring case}. The root is {@code /}.
   */
  public String normalize(String path) {
    Objects.requireNonNull(path, "path");
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      int parameters = segment.indexOf(';');
      String name = parameters < 0 ? segment : segment.substring(0, parameters);
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        segments.pollLast();
        continue;
      }
      segments.addLast(name);
    }
    String normalized = "/" + String.join("/", segments);
    return ignoreCase ? normalized.toLowerCase(Locale.ROOT) : normalized;
  }

  /**
   * Whether {@code request} falls under {@code pattern}, a glob over paths such as {@code /login}
   * or {@code /api/*} ({@code *} crosses slashes).
   */
  public boolean matches(String pattern, HttpServletRequest request) {
    return compile(pattern).matches(pathOf(request));
  }

  /** {@code pattern} as a glob over {@linkplain #normalize normalised} paths. */
  Glob compile(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String normalized = normalizePattern(pattern);
    return Glob.of(ignoreCase ? normalized.toLowerCase(Locale.ROOT) : normalized);
  }

  /** Like {@link #normalize} but leaves glob syntax alone, so {@code /api/*} stays as written. */
  private static String normalizePattern(String pattern) {
    StringBuilder normalized = new StringBuilder(pattern.length() + 1);
    if (!pattern.startsWith("/") && !pattern.startsWith("*")) {
      normalized.append('/');
    }
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      boolean afterSlash =
          normalized.length() > 0 && normalized.charAt(normalized.length() - 1) == '/';
      if (c == '/' && afterSlash) {
        continue;
      }
      normalized.append(c);
    }
    if (normalized.length() > 1 && normalized.charAt(normalized.length() - 1) == '/') {
      normalized.setLength(normalized.length() - 1);
    }
    return normalized.toString();
  }

  /** Percent-decodes a raw path as UTF-8; a malformed escape stays as written. */
  private static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()
          && Character.digit(raw.charAt(i + 1), 16) >= 0
          && Character.digit(raw.charAt(i + 2), 16) >= 0) {
        bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16
            + Character.digit(raw.charAt(i + 2), 16));
        i += 2;
      } else {
        int codePoint = raw.codePointAt(i);
        byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return ignoreCase ? "PathMatcher[ignoring case]" : "PathMatcher[standard]";
  }
}
