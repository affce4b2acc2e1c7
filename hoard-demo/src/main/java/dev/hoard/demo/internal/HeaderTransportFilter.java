package dev.hoard.demo.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Hands the session id in the {@code X-Session-ID} response header only to header clients: those
 * that sent {@code X-Session-ID} or {@code Authorization: Session …} (at login any value, e.g.
 * {@code X-Session-ID: new}, asks for header transport). A browser logging in without a cookie
 * gets the cookie alone, so no script on the page can read its id from the response. Sits in
 * front of the session filter, which otherwise also sends the header to clients that presented
 * no session at all.
 */
final class HeaderTransportFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  private static final String HEADER = "X-Session-ID";

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (isHeaderClient(request)) {
      chain.doFilter(request, response);
    } else {
      chain.doFilter(request, new WithoutSessionHeader(response));
    }
  }

  /** Whether the client sent its session, or asked for one, by header. */
  static boolean isHeaderClient(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    String sessionHeader = request.getHeader(HEADER);
    return (sessionHeader != null && !sessionHeader.isBlank())
        || (authorization != null
            && authorization.regionMatches(true, 0, "Session ", 0, "Session ".length()));
  }

  private static final class WithoutSessionHeader extends HttpServletResponseWrapper {

    WithoutSessionHeader(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setHeader(String name, String value) {
      if (!HEADER.equalsIgnoreCase(name)) {
        super.setHeader(name, value);
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if (!HEADER.equalsIgnoreCase(name)) {
        super.addHeader(name, value);
      }
    }
  }
}
