package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The dashboard's files, served from the classpath: the page, its script and its styles. */
final class PageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private record Page(byte[] bytes, String contentType) {}

  private final transient Map<String, Page> pages;

  PageServlet() {
    Page html = page("dashboard.html", "text/html;charset=utf-8");
    pages = Map.of(
        "/", html,
        "/dashboard", html,
        "/dashboard.js", page("dashboard.js", "text/javascript;charset=utf-8"),
        "/dashboard.css", page("dashboard.css", "text/css;charset=utf-8"));
  }

  private static Page page(String name, String contentType) {
    try (InputStream in = PageServlet.class.getResourceAsStream("/dev/hoard/demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the demo's " + name + " is missing from its jar");
      }
      return new Page(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Page page = pages.get(request.getRequestURI());
    if (page == null) {
      response.sendError(404);
      return;
    }
    request.setAttribute(RequestMetricsFilter.ROUTE, request.getRequestURI());
    response.setContentType(page.contentType());
    // Fresh for a minute in the response cache in front of this servlet and in browsers.
    response.setHeader("Cache-Control", "public, max-age=60");
    response.setContentLength(page.bytes().length);
    response.getOutputStream().write(page.bytes());
  }
}
