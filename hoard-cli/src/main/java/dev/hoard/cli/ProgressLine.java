package dev.hoard.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A one-line count of long work ({@code counting keys… 120,000}) on standard error, rewritten in
 * place at most every {@value #REDRAW_MILLIS} ms and erased when the work ends. It shows only on a
 * terminal, so scripts and pipes never see it. The totals of such work (a key scan) are unknown
 * up front, so a count says more than a bar could.
 */
final class ProgressLine implements AutoCloseable {

  static final long REDRAW_MILLIS = 100;

  private final PrintWriter err;
  private final boolean shown;
  private final String label;
  private final LongSupplier millis;
  private long count;
  private long drawnAt = Long.MIN_VALUE;
  private int drawnWidth;

  private ProgressLine(PrintWriter err, boolean shown, String label, LongSupplier millis) {
    this.err = err;
    this.shown = shown;
    this.label = label;
    this.millis = millis;
  }

  /** A progress line for {@code label}, shown when the environment is a terminal. */
  static ProgressLine start(Environment environment, String label) {
    return new ProgressLine(
        environment.err(), environment.terminal(), label, System::currentTimeMillis);
  }

  /** Counts one more item done. */
  void advance() {
    count++;
    if (!shown) {
      return;
    }
    long now = millis.getAsLong();
    if (drawnAt == Long.MIN_VALUE || now - drawnAt >= REDRAW_MILLIS) {
      drawnAt = now;
      draw(String.format("%s… %,d", label, count));
    }
  }

  /** How many items were counted. */
  long count() {
    return count;
  }

  /** Erases the line, so what follows starts on a clean one. */
  @Override
  public void close() {
    if (shown && drawnWidth > 0) {
      draw("");
    }
  }

  private void draw(String text) {
    StringBuilder line = new StringBuilder("\r").append(text);
    line.append(" ".repeat(Math.max(0, drawnWidth - text.length()))).append('\r');
    drawnWidth = text.length();
    err.print(line);
    err.flush();
  }
}
