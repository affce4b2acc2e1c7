package dev.hoard.cli;

import java.io.Console;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * What one run of the command sees of the world: where it writes, the environment variables it
 * reads, and whether its output goes to a terminal that can show ✔ and ✘.
 *
 * @param out where results go
 * @param err where errors and notes go
 * @param variables the environment variables, e.g. {@code HOARD_CACHE_URL}
 * @param symbols whether to print ✔/✘ (a terminal with a Unicode charset) or OK/FAIL
 * @param terminal whether a person watches the output, so long work may show its progress
 */
record Environment(
    PrintWriter out, PrintWriter err, Map<String, String> variables, boolean symbols,
    boolean terminal) {

  /** The environment of a real process: standard streams, {@link System#getenv()}, the console. */
  static Environment system() {
    Charset charset = stdoutCharset();
    boolean terminal = isTerminal();
    boolean symbols = terminal && charset.newEncoder().canEncode("✔✘");
    return new Environment(
        new PrintWriter(new OutputStreamWriter(System.out, charset)),
        new PrintWriter(new OutputStreamWriter(System.err, charset), true),
        System.getenv(),
        symbols,
        terminal);
  }

  /** The value of an environment variable, or null when it is unset or blank. */
  String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Charset stdoutCharset() {
    // Java 19+ names the terminal's charset stdout.encoding; Java 17 sets sun.stdout.encoding only
    // on a console; native.encoding is the platform's choice when output is redirected.
    for (String property :
        new String[] {"stdout.encoding", "sun.stdout.encoding", "native.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }

  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // From Java 22 System.console() exists even when redirected; isTerminal() tells the truth.
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
