package dev.hoard.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The response the origin writes to while the filter looks on. It records the status and headers
 * without touching the real response until it has to decide — at the first body byte, flush or
 * error, or when the origin returns — and then asks its {@link Decider} what to do:
 *
 * <ul>
 *   <li>{@link Mode#STORE}: keep the body in memory (up to a limit) for the cache;
 *   <li>{@link Mode#PASS}: copy status and headers to the real response and stream straight
 *       through, so flushes and long responses behave as if the filter were not there;
 *   <li>{@link Mode#ABSORB}: swallow the response (a 304 from a revalidation, an error the
 *       filter answers with a stale response instead).
 * </ul>
 *
 * A body that outgrows the limit switches from STORE to PASS (or to ABSORB when the capture is
 * detached from any client, as in a background revalidation).
 */
final class ResponseCapture extends HttpServletResponseWrapper {

  /** What happens to the origin's response. */
  public enum Mode { PENDING, STORE, PASS, ABSORB }

  /** Chooses a mode once status and headers are known. */
  @FunctionalInterface
  public interface Decider {
    /** The mode for this response; {@code declaredLength} is -1 when no Content-Length was set. */
    Mode decide(int status, List<Header> headers, boolean setsCookies, long declaredLength);
  }

  private final HttpServletResponse client;
  private final Decider decider;
  private final int maximumBody;
  private final boolean detached;
  private final String defaultCharset;
  private final List<Header> headers = new ArrayList<>();
  private final List<Cookie> cookies = new ArrayList<>();
  private final Body body = new Body();
  private final CaptureStream stream = new CaptureStream();
  private Mode mode = Mode.PENDING;
  private int status = SC_OK;
  private String mimeType;
  private String charset;
  private Locale locale;
  private int bufferSize = -1;
  private PrintWriter writer;
  private String passLabel;
  private Runnable onPass = () -> { };
  private WriteListener writeListener;
  private boolean overflowed;
  private Set<String> withheld = Set.of();

  private ResponseCapture(HttpServletResponse client, Decider decider, int maximumBody,
      boolean detached) {
    super(client);
    this.client = client;
    this.decider = decider;
    this.maximumBody = maximumBody;
    this.detached = detached;
    this.defaultCharset = client.getCharacterEncoding();
  }

  /** A capture in front of the client's response. */
  public static ResponseCapture of(HttpServletResponse client, Decider decider, int maximumBody) {
    return new ResponseCapture(client, decider, maximumBody, false);
  }

  /** A capture that never writes to {@code client}, which has already been answered. */
  public static ResponseCapture detached(HttpServletResponse client, Decider decider,
      int maximumBody) {
    return new ResponseCapture(client, decider, maximumBody, true);
  }

  /** Sets the {@code X-Cache} value the client sees if the response passes through. */
  public void passLabel(String label) {
    this.passLabel = label;
  }

  /** Fields (any letter case) meant for the cache only, never passed through to the client. */
  public void withhold(Collection<String> names) {
    Set<String> lower = new HashSet<>();
    names.forEach(name -> lower.add(name.toLowerCase(Locale.ROOT)));
    this.withheld = Set.copyOf(lower);
  }

  private boolean withheld(String name) {
    return withheld.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Runs {@code action} once the response starts passing through (nothing will be stored). */
  public void whenPassing(Runnable action) {
    this.onPass = action;
  }

  /** The mode decided so far. */
  public Mode mode() {
    return mode;
  }

  /** Whether the origin added a cookie with {@link #addCookie}. */
  public boolean setsCookies() {
    return !cookies.isEmpty();
  }

  /** Whether the body outgrew the limit (so it was not kept). */
  public boolean overflowed() {
    return overflowed;
  }

  /** The status the origin set. */
  @Override
  public int getStatus() {
    return mode == Mode.PASS ? client.getStatus() : status;
  }

  /** The header lines the origin set, in order, {@code Content-Type} included. */
  public List<Header> headers() {
    return List.copyOf(headers);
  }

  /** The body kept in STORE mode (the array may be longer than {@link #bodyLength()}). */
  public byte[] bodyArray() {
    return body.array();
  }

  /** The number of body bytes kept. */
  public int bodyLength() {
    return body.size();
  }

  /**
   * Called when the origin is done: flushes its writer and makes the decision if it has not been
   * made yet.
   */
  public void finish() {
    if (writer != null) {
      writer.flush();
    }
    decide();
  }

  private void decide() {
    if (mode != Mode.PENDING) {
      return;
    }
    String length = Header.first(headers, "Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
    }
    Mode decided = decider.decide(status, headers(), !cookies.isEmpty(), declared);
    if (decided == Mode.STORE && declared > maximumBody) {
      decided = Mode.PASS;
    }
    if (decided == Mode.PASS) {
      startPassing();
    } else {
      mode = decided;
    }
  }

  private void startPassing() {
    if (detached) {
      mode = Mode.ABSORB;
      return;
    }
    mode = Mode.PASS;
    client.setStatus(status);
    if (locale != null) {
      client.setLocale(locale);
    }
    if (bufferSize > 0 && !client.isCommitted()) {
      client.setBufferSize(bufferSize);
    }
    Set<String> seen = new HashSet<>();
    for (Header header : headers) {
      if (header.name().equalsIgnoreCase("Content-Type")) {
        client.setContentType(header.value());
      } else if (withheld(header.name())) {
        continue;
      } else if (seen.add(header.name().toLowerCase(Locale.ROOT))) {
        client.setHeader(header.name(), header.value());
      } else {
        client.addHeader(header.name(), header.value());
      }
    }
    if (charset != null && mimeType == null) {
      client.setCharacterEncoding(charset);
    }
    for (Cookie cookie : cookies) {
      client.addCookie(cookie);
    }
    if (passLabel != null) {
      client.setHeader("X-Cache", passLabel);
    }
    onPass.run();
  }

  private void overflow() throws IOException {
    overflowed = true;
    if (detached) {
      mode = Mode.ABSORB;
      body.reset();
      return;
    }
    startPassing();
    ServletOutputStream out = client.getOutputStream();
    out.write(body.array(), 0, body.size());
    body.reset();
  }

  // ---- status and headers ----

  @Override
  public void setStatus(int sc) {
    if (mode == Mode.PASS) {
      client.setStatus(sc);
    } else {
      status = sc;
    }
  }

  @Override
  public void sendError(int sc, String message) throws IOException {
    if (mode == Mode.PENDING) {
      status = sc;
      if (decider.decide(sc, headers(), !cookies.isEmpty(), -1) == Mode.ABSORB) {
        mode = Mode.ABSORB;
      } else {
        startPassing();
      }
    }
    if (mode == Mode.STORE) {
      // An error after the body began: drop what was kept and let the container answer.
      body.reset();
      status = sc;
      if (detached) {
        mode = Mode.ABSORB;
      } else {
        startPassing();
      }
    }
    if (mode == Mode.PASS) {
      client.sendError(sc, message);
    }
  }

  @Override
  public void sendError(int sc) throws IOException {
    sendError(sc, null);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    if (mode == Mode.PENDING) {
      status = SC_FOUND;
      setHeader("Location", location);
      startPassing();
    }
    if (mode == Mode.PASS) {
      client.sendRedirect(location);
    }
  }

  @Override
  public void setHeader(String name, String value) {
    if (mode == Mode.PASS) {
      if (!withheld(name)) {
        client.setHeader(name, value);
      }
    } else if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
    } else {
      replace(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (mode == Mode.PASS) {
      if (!withheld(name)) {
        client.addHeader(name, value);
      }
    } else if (name.equalsIgnoreCase("Content-Type")) {
      setContentType(value);
    } else if (value != null) {
      headers.add(new Header(name, value));
    }
  }

  private void replace(String name, String value) {
    int at = -1;
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).name().equalsIgnoreCase(name)) {
        headers.remove(i);
        at = i;
      }
    }
    if (value != null) {
      if (at < 0) {
        headers.add(new Header(name, value));
      } else {
        headers.add(at, new Header(name, value));
      }
    }
  }

  @Override
  public void setIntHeader(String name, int value) {
    setHeader(name, Integer.toString(value));
  }

  @Override
  public void addIntHeader(String name, int value) {
    addHeader(name, Integer.toString(value));
  }

  @Override
  public void setDateHeader(String name, long date) {
    setHeader(name, HttpDates.format(date));
  }

  @Override
  public void addDateHeader(String name, long date) {
    addHeader(name, HttpDates.format(date));
  }

  @Override
  public boolean containsHeader(String name) {
    return mode == Mode.PASS ? client.containsHeader(name) : Header.contains(headers, name);
  }

  @Override
  public String getHeader(String name) {
    return mode == Mode.PASS ? client.getHeader(name) : Header.first(headers, name);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return mode == Mode.PASS ? client.getHeaders(name) : Header.all(headers, name);
  }

  @Override
  public Collection<String> getHeaderNames() {
    if (mode == Mode.PASS) {
      return client.getHeaderNames();
    }
    Set<String> names = new LinkedHashSet<>();
    headers.forEach(header -> names.add(header.name()));
    return names;
  }

  @Override
  public void addCookie(Cookie cookie) {
    if (mode == Mode.PASS) {
      client.addCookie(cookie);
    } else {
      cookies.add(cookie);
    }
  }

  @Override
  public void setContentLength(int length) {
    setContentLengthLong(length);
  }

  @Override
  public void setContentLengthLong(long length) {
    if (mode == Mode.PASS) {
      client.setContentLengthLong(length);
    } else {
      replace("Content-Length", length < 0 ? null : Long.toString(length));
    }
  }

  // ---- content type and character encoding, as the Servlet specification defines them ----

  @Override
  public void setContentType(String type) {
    if (mode == Mode.PASS) {
      client.setContentType(type);
      return;
    }
    if (type == null) {
      mimeType = null;
    } else {
      int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
      if (at >= 0) {
        String rest = type.substring(at + "charset=".length());
        int end = rest.indexOf(';');
        String named = (end < 0 ? rest : rest.substring(0, end)).trim().replace("\"", "");
        if (writer == null) {
          charset = named;
        }
        String before = type.substring(0, at).trim();
        while (before.endsWith(";")) {
          before = before.substring(0, before.length() - 1).trim();
        }
        mimeType = before + (end < 0 ? "" : rest.substring(end));
      } else {
        mimeType = type;
      }
    }
    updateContentType();
  }

  @Override
  public String getContentType() {
    return mode == Mode.PASS ? client.getContentType() : Header.first(headers, "Content-Type");
  }

  @Override
  public void setCharacterEncoding(String encoding) {
    if (mode == Mode.PASS) {
      client.setCharacterEncoding(encoding);
    } else if (writer == null) {
      charset = encoding;
      updateContentType();
    }
  }

  @Override
  public String getCharacterEncoding() {
    if (mode == Mode.PASS) {
      return client.getCharacterEncoding();
    }
    return charset != null ? charset : defaultCharset;
  }

  @Override
  public void setLocale(Locale locale) {
    if (mode == Mode.PASS) {
      client.setLocale(locale);
    } else {
      this.locale = locale;
    }
  }

  @Override
  public Locale getLocale() {
    return mode == Mode.PASS || locale == null ? client.getLocale() : locale;
  }

  private void updateContentType() {
    replace("Content-Type", mimeType == null ? null
        : charset == null ? mimeType : mimeType + ";charset=" + charset);
  }

  // ---- body ----

  @Override
  public ServletOutputStream getOutputStream() {
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      String encoding = getCharacterEncoding();
      writer = new PrintWriter(new OutputStreamWriter(stream, Charset.forName(encoding)), false);
      if (mode != Mode.PASS) {
        charset = encoding;
        updateContentType();
      }
    }
    return writer;
  }

  @Override
  public void setBufferSize(int size) {
    if (mode == Mode.PASS) {
      client.setBufferSize(size);
    } else {
      bufferSize = size;
    }
  }

  @Override
  public void flushBuffer() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    decide();
    if (mode == Mode.PASS) {
      client.flushBuffer();
    }
  }

  @Override
  public boolean isCommitted() {
    return mode == Mode.PASS && client.isCommitted();
  }

  @Override
  public void reset() {
    if (mode == Mode.PASS) {
      client.reset();
      return;
    }
    headers.clear();
    cookies.clear();
    body.reset();
    status = SC_OK;
    mimeType = null;
    charset = null;
  }

  @Override
  public void resetBuffer() {
    if (mode == Mode.PASS) {
      client.resetBuffer();
    } else {
      body.reset();
    }
  }

  /** Trailers cannot be stored: a response that sets them passes through. */
  @Override
  public void setTrailerFields(java.util.function.Supplier<java.util.Map<String, String>> supplier) {
    decide();
    if (mode == Mode.STORE) {
      startPassingWithBody();
    }
    if (mode == Mode.PASS) {
      client.setTrailerFields(supplier);
    }
  }

  /** Hands the response to the client as it is, keeping nothing (e.g. before an async dispatch). */
  public void passThrough() {
    decide();
    if (mode == Mode.STORE) {
      startPassingWithBody();
    }
  }

  private void startPassingWithBody() {
    try {
      overflow();
      overflowed = false;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private ServletOutputStream clientStream() {
    try {
      return client.getOutputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A byte buffer whose array can be read without a copy. */
  private static final class Body extends ByteArrayOutputStream {
    Body() {
      super(1024);
    }

    byte[] array() {
      return buf;
    }
  }

  private final class CaptureStream extends ServletOutputStream {

    @Override
    public void write(int b) throws IOException {
      decide();
      switch (mode) {
        case PASS -> client.getOutputStream().write(b);
        case STORE -> {
          if (body.size() + 1 > maximumBody) {
            overflow();
            write(b);
          } else {
            body.write(b);
          }
        }
        default -> { }
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      decide();
      switch (mode) {
        case PASS -> client.getOutputStream().write(bytes, offset, length);
        case STORE -> {
          if (body.size() + length > maximumBody) {
            overflow();
            write(bytes, offset, length);
          } else {
            body.write(bytes, offset, length);
          }
        }
        default -> { }
      }
    }

    @Override
    public void flush() throws IOException {
      decide();
      if (mode == Mode.PASS) {
        client.getOutputStream().flush();
      }
    }

    @Override
    public void close() throws IOException {
      if (writer != null) {
        writer.flush();
      }
      decide();
      if (mode == Mode.PASS) {
        client.getOutputStream().close();
      }
    }

    @Override
    public boolean isReady() {
      // A listener the capture took on keeps its always-ready stream, now writing through.
      return mode != Mode.PASS || writeListener != null || clientStream().isReady();
    }

    /**
     * Non-blocking output: passed on when the response passes through; while the body is kept
     * for the cache the stream is always ready, so the listener is told once, as a container
     * would, and writes go to memory. If the body then outgrows the limit, the rest is written
     * through to the client blocking, which a non-blocking origin tolerates.
     */
    @Override
    public void setWriteListener(WriteListener listener) {
      decide();
      if (mode == Mode.PASS) {
        clientStream().setWriteListener(listener);
        return;
      }
      writeListener = listener;
      try {
        listener.onWritePossible();
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }
}
