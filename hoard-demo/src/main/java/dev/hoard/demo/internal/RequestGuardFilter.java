package dev.hoard.demo.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every request must be before anything else reads it: one of the methods the service
 * answers (405 otherwise, so {@code TRACE} never echoes {@code Cookie} or {@code Authorization}),
 * no charset but UTF-8 (415), and no declared body over the limit (413, before a password is
 * hashed). Bodies without a length are cut at the limit where they are read ({@link Exchange}).
 * Refusals are the API's JSON errors.
 */
final class RequestGuardFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
  private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE";
  private static final Pattern CHARSET =
      Pattern.compile(";\\s*charset\\s*=\\s*\"?([^\";\\s]*)", Pattern.CASE_INSENSITIVE);

  private final int maxBodyBytes;

  RequestGuardFilter(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    ApiException refusal = refusal(request);
    if (refusal == null) {
      chain.doFilter(request, response);
      return;
    }
    if (refusal.status() == 405) {
      response.setHeader("Allow", ALLOW);
    }
    response.setHeader("Cache-Control", "no-store");
    ApiServlet.write(request, response, refusal.status(), refusal.body());
  }

  private ApiException refusal(HttpServletRequest request) {
    String method = request.getMethod();
    if (!METHODS.contains(method)) {
      return ApiException.methodNotAllowed(
          method + " is not allowed here; this service answers " + ALLOW);
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null) {
      Matcher charset = CHARSET.matcher(contentType);
      if (charset.find() && !isUtf8(charset.group(1))) {
        return ApiException.unsupportedMediaType("charset '" + charset.group(1)
            + "' is not supported; send UTF-8 (charset=utf-8, or no charset)");
      }
    }
    if (request.getContentLengthLong() > maxBodyBytes) {
      return Exchange.tooLarge(maxBodyBytes);
    }
    return null;
  }

  private static boolean isUtf8(String charset) {
    String name = charset.toLowerCase(Locale.ROOT);
    return name.equals("utf-8") || name.equals("utf8");
  }
}
