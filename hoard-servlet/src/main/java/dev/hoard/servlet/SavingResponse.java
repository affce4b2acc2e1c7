package dev.hoard.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Runs a save just before the response commits, so a session cookie still fits in the headers
 * when the application flushes early: before a flush, a close, a redirect or an error, and before
 * a write that would fill the buffer or complete the declared content length. Written characters
 * count as three bytes each (UTF-8's most for a char), so the save can come a little early, never
 * late.
 */
final class SavingResponse extends HttpServletResponseWrapper {

  private static final int MAX_BYTES_PER_CHAR = 3;

  private final Runnable beforeCommit;
  private boolean saved;
  private long written;
  private long contentLength = -1;
  private ServletOutputStream stream;
  private PrintWriter writer;

  /** Wraps {@code response}; {@code beforeCommit} runs once, just before the first commit. */
  public SavingResponse(HttpServletResponse response, Runnable beforeCommit) {
    super(response);
    this.beforeCommit = beforeCommit;
  }

  /** Runs the save now unless it already ran or the response committed without it. */
  public void saveBeforeCommit() {
    if (!saved && !isCommitted()) {
      saved = true;
      beforeCommit.run();
    }
  }

  /** Runs the save after the chain: the first time, or again for what changed since. */
  public void saveAtEnd() {
    saved = true;
    beforeCommit.run();
  }

  private void aboutToWrite(long bytes) {
    if (!saved && (written + bytes >= getBufferSize()
        || contentLength >= 0 && written + bytes >= contentLength)) {
      saveBeforeCommit();
    }
    written += bytes;
  }

  @Override
  public void setContentLength(int length) {
    super.setContentLength(length);
    this.contentLength = length;
  }

  @Override
  public void setContentLengthLong(long length) {
    super.setContentLengthLong(length);
    this.contentLength = length;
  }

  @Override
  public void flushBuffer() throws IOException {
    saveBeforeCommit();
    super.flushBuffer();
  }

  @Override
  public void sendError(int status, String message) throws IOException {
    saveBeforeCommit();
    super.sendError(status, message);
  }

  @Override
  public void sendError(int status) throws IOException {
    saveBeforeCommit();
    super.sendError(status);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    saveBeforeCommit();
    super.sendRedirect(location);
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new GuardedStream(super.getOutputStream());
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      writer = new PrintWriter(new GuardedWriter(super.getWriter()), false);
    }
    return writer;
  }

  private final class GuardedStream extends ServletOutputStream {
    private final ServletOutputStream out;

    GuardedStream(ServletOutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      aboutToWrite(1);
      out.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      aboutToWrite(length);
      out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      saveBeforeCommit();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      saveBeforeCommit();
      out.close();
    }

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }

  private final class GuardedWriter extends Writer {
    private final PrintWriter out;

    GuardedWriter(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      aboutToWrite((long) length * MAX_BYTES_PER_CHAR);
      out.write(chars, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
      aboutToWrite((long) length * MAX_BYTES_PER_CHAR);
      out.write(text, offset, length);
    }

    @Override
    public void flush() {
      saveBeforeCommit();
      out.flush();
    }

    @Override
    public void close() {
      saveBeforeCommit();
      out.close();
    }
  }
}
