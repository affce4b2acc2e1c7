package dev.hoard.cli.proxy;

import dev.hoard.servlet.ResponseCacheFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Purging: {@code PURGE /path} drops the stored response for that URL, or, with a {@code
 * Cache-Tag} (or {@code Surrogate-Key}) request header, every response carrying one of those
 * tags; {@code POST /_hoard/purge?url=...&tag=...} does the same for the URLs and tags it names.
 * Both need {@code Authorization: Bearer <token>} when a token is set, and come only from the
 * loopback address when none is. Every node sharing the store sees the purge.
 */
final class PurgeFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  static final String PURGE_PATH = "/_hoard/purge";

  private final transient ResponseCacheFilter cache;
  private final byte[] token;

  /** Purges {@code cache}; {@code token} may be null (then loopback clients only). */
  PurgeFilter(ResponseCacheFilter cache, String token) {
    this.cache = cache;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    boolean purge = request.getMethod().equals("PURGE");
    boolean endpoint = request.getRequestURI().equals(PURGE_PATH);
    if (!purge && !endpoint) {
      chain.doFilter(request, response);
      return;
    }
    if (endpoint && !request.getMethod().equals("POST")) {
      response.setHeader("Allow", "POST");
      answer(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "use POST");
      return;
    }
    if (!allowed(request)) {
      response.setHeader("WWW-Authenticate", "Bearer");
      answer(response, HttpServletResponse.SC_UNAUTHORIZED,
          token == null ? "purging without --purge-token is allowed from loopback only"
              : "send Authorization: Bearer <purge token>");
      return;
    }
    List<String> tags = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    if (purge) {
      tags.addAll(listed(request, "Cache-Tag", ","));
      tags.addAll(listed(request, "Surrogate-Key", " "));
      if (tags.isEmpty()) {
        String query = request.getQueryString();
        urls.add(request.getRequestURL() + (query == null ? "" : "?" + query));
      }
    } else {
      String[] tagged = request.getParameterValues("tag");
      String[] named = request.getParameterValues("url");
      tags.addAll(tagged == null ? List.of() : List.of(tagged));
      urls.addAll(named == null ? List.of() : List.of(named));
      if (tags.isEmpty() && urls.isEmpty()) {
        answer(response, HttpServletResponse.SC_BAD_REQUEST,
            "name what to purge: url=<absolute URL> and/or tag=<tag>");
        return;
      }
    }
    try {
      for (String url : urls) {
        cache.invalidate(url);
      }
    } catch (IllegalArgumentException e) {
      answer(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
      return;
    }
    if (!tags.isEmpty()) {
      cache.invalidateTags(tags.toArray(String[]::new));
    }
    answer(response, HttpServletResponse.SC_OK,
        "purged " + urls.size() + " URL(s) and " + tags.size() + " tag(s)");
  }

  private boolean allowed(HttpServletRequest request) {
    if (token == null) {
      try {
        return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  private static List<String> listed(HttpServletRequest request, String header, String separator) {
    List<String> values = new ArrayList<>();
    for (String value : Collections.list(request.getHeaders(header))) {
      for (String item : value.split(separator.equals(",") ? "," : "\\s+")) {
        if (!item.isBlank()) {
          values.add(item.trim());
        }
      }
    }
    return values;
  }

  private static void answer(HttpServletResponse response, int status, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().println(message);
  }
}
