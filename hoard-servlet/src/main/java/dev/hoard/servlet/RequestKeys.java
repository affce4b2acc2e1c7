package dev.hoard.servlet;

import dev.hoard.cache.spi.Glob;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Cache keys for requests. The primary key of a URL is {@code GET } plus its normalised form:
 * scheme and host in lower case, the default port left out, the path as sent, and the query with
 * tracking parameters removed and the rest sorted by name (values of one name keep their order).
 * A variant's key adds its index's generation and a digest of the request header values the
 * response varies on.
 */
final class RequestKeys {

  /** Keys longer than this are replaced by a digest, well under {@link dev.hoard.cache.Cache#MAX_KEY_LENGTH}. */
  private static final int LONGEST_READABLE_KEY = 2048;

  private final List<Glob> ignoredParameters;
  private final URI keyOrigin;

  /**
   * Keys that leave out the query parameters matching {@code ignoredParameters} (globs, matched
   * against the decoded name in lower case).
   */
  public RequestKeys(List<String> ignoredParameters) {
    this(ignoredParameters, null);
  }

  /**
   * {@link #RequestKeys(List)}, with every key under {@code keyOrigin} (scheme, host and port)
   * instead of the request's own, when it is not null.
   */
  public RequestKeys(List<String> ignoredParameters, URI keyOrigin) {
    this.keyOrigin = keyOrigin;
    List<Glob> globs = new ArrayList<>();
    for (String pattern : ignoredParameters) {
      globs.add(Glob.of(pattern.toLowerCase(Locale.ROOT)));
    }
    this.ignoredParameters = List.copyOf(globs);
  }

  /** The primary key of the request's URL. */
  public String primary(HttpServletRequest request) {
    if (keyOrigin != null) {
      return key(keyOrigin.getScheme(), keyOrigin.getHost(), keyOrigin.getPort(),
          request.getRequestURI(), request.getQueryString());
    }
    return key(request.getScheme(), request.getServerName(), request.getServerPort(),
        request.getRequestURI(), request.getQueryString());
  }

  /** The primary key of an absolute URL (its path and query under the key origin, if set). */
  public String primary(URI uri) {
    URI origin = keyOrigin != null ? keyOrigin : uri;
    return key(origin.getScheme(), origin.getHost(), origin.getPort(), uri.getRawPath(),
        uri.getRawQuery());
  }

  /** The request's URL as an absolute URI, for resolving {@code Location} against. */
  public static URI requestUri(HttpServletRequest request) {
    String query = request.getQueryString();
    return URI.create(request.getRequestURL() + (query == null ? "" : "?" + query));
  }

  /** Whether two absolute URIs have the same scheme, host and port. */
  public static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a.getScheme(), a.getPort()) == port(b.getScheme(), b.getPort());
  }

  /** The key of the variant of {@code primary} that {@code request} selects under {@code index}. */
  public static String variant(String primary, VariantIndex index, HttpServletRequest request) {
    StringBuilder selected = new StringBuilder();
    for (String name : index.headerNames()) {
      List<String> values = Collections.list(request.getHeaders(name));
      selected.append(name);
      if (values.isEmpty()) {
        selected.append('!');
      } else {
        selected.append('=').append(normalise(String.join(",", values)));
      }
      selected.append('\n');
    }
    return primary + "#" + index.generation() + ":" + digest(selected.toString());
  }

  /** Collapses whitespace runs and trims around commas: {@code "gzip ,  br"} becomes {@code "gzip,br"}. */
  static String normalise(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (String element : value.split(",")) {
      String trimmed = element.trim().replaceAll("\\s+", " ");
      if (!trimmed.isEmpty()) {
        if (out.length() > 0) {
          out.append(',');
        }
        out.append(trimmed);
      }
    }
    return out.toString();
  }

  private String key(String scheme, String host, int port, String path, String query) {
    String lowerScheme = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
    StringBuilder url = new StringBuilder(128).append("GET ").append(lowerScheme).append("://")
        .append(host == null ? "" : host.toLowerCase(Locale.ROOT));
    if (port > 0 && port != port(lowerScheme, -1)) {
      url.append(':').append(port);
    }
    url.append(path == null || path.isEmpty() ? "/" : path);
    String kept = query(query);
    if (!kept.isEmpty()) {
      url.append('?').append(kept);
    }
    return url.length() <= LONGEST_READABLE_KEY ? url.toString() : "GET #" + digest(url.toString());
  }

  private String query(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    List<String[]> parameters = new ArrayList<>();
    for (String parameter : query.split("&")) {
      if (parameter.isEmpty()) {
        continue;
      }
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      if (!ignored(name)) {
        parameters.add(new String[] {name, parameter});
      }
    }
    parameters.sort(Comparator.comparing(parameter -> parameter[0]));
    StringBuilder kept = new StringBuilder(query.length());
    for (String[] parameter : parameters) {
      if (kept.length() > 0) {
        kept.append('&');
      }
      kept.append(parameter[1]);
    }
    return kept.toString();
  }

  private boolean ignored(String rawName) {
    String name;
    try {
      name = URLDecoder.decode(rawName, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      name = rawName.toLowerCase(Locale.ROOT);
    }
    for (Glob glob : ignoredParameters) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }

  private static int port(String scheme, int port) {
    if (port > 0) {
      return port;
    }
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
