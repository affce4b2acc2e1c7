package dev.hoard.demo.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Answers the plain-text refusals of {@code hoard-servlet}'s filters behind it (the CSRF 403 of
 * {@code SessionFilter}, the 429 of {@code RateLimitFilter}) as the API's JSON errors, keeping
 * their status and headers ({@code Retry-After}, {@code RateLimit-*}) and using their text as the
 * message. A refusal that is already JSON passes through untouched.
 */
final class TextRefusalFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    CatchingResponse catching = new CatchingResponse(response);
    chain.doFilter(request, catching);
    if (catching.caught != null) {
      ApiServlet.write(request, response, response.getStatus(),
          body(response, catching.caught.toString(StandardCharsets.UTF_8).strip()));
    }
  }

  private static Map<String, Object> body(HttpServletResponse response, String text) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (response.getStatus() == 429) {
      body.put("error", "too_many_requests");
      body.put("message", text.isEmpty() ? "too many requests; retry later" : text);
      String retryAfter = response.getHeader("Retry-After");
      if (retryAfter != null && retryAfter.matches("\\d+")) {
        body.put("retry_after_seconds", Long.parseLong(retryAfter));
      }
    } else {
      body.put("error", "forbidden");
      body.put("message", text.isEmpty() ? "forbidden" : text
          + "; cookie clients send the csrf_token of their login in X-CSRF-Token");
    }
    return body;
  }

  /** Holds back a text body written with a 403 or 429 status; everything else goes through. */
  private static final class CatchingResponse extends HttpServletResponseWrapper {

    private ByteArrayOutputStream caught;

    CatchingResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void setContentType(String type) {
      int status = getStatus();
      if ((status == 403 || status == 429) && type != null && !isCommitted()
          && type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
        caught = new ByteArrayOutputStream();
        return;
      }
      super.setContentType(type);
    }

    @Override
    public void setContentLength(int length) {
      if (caught == null) {
        super.setContentLength(length);
      }
    }

    @Override
    public void setContentLengthLong(long length) {
      if (caught == null) {
        super.setContentLengthLong(length);
      }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return caught == null ? super.getOutputStream() : new Capture(caught);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      return caught == null ? super.getWriter()
          : new PrintWriter(new OutputStreamWriter(caught, StandardCharsets.UTF_8), true);
    }
  }

  private static final class Capture extends ServletOutputStream {

    private final ByteArrayOutputStream target;

    Capture(ByteArrayOutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      target.write(bytes, offset, length);
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("a held-back refusal is written synchronously");
    }
  }
}
