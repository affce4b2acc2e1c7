package dev.hoard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * One in-process run of the {@code hoard} command with captured output.
 *
 * @param exitCode the exit status
 * @param out what went to standard output
 * @param err what went to standard error
 */
record Run(int exitCode, String out, String err) {

  /** Runs {@code hoard args...} with no environment variables set and plain OK/FAIL output. */
  static Run hoard(String... args) {
    return hoard(Map.of(), false, args);
  }

  /** Runs {@code hoard args...} with these environment variables. */
  static Run hoard(Map<String, String> variables, boolean symbols, String... args) {
    return run(variables, symbols, false, args);
  }

  /** Runs {@code hoard args...} as if a person watched a terminal (progress lines shown). */
  static Run onTerminal(String... args) {
    return run(Map.of(), false, true, args);
  }

  private static Run run(
      Map<String, String> variables, boolean symbols, boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Hoard.run(args, new Environment(
        new PrintWriter(out), new PrintWriter(err), variables, symbols, terminal));
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** The first line written to standard error. */
  String firstErrorLine() {
    return err.lines().findFirst().orElse("");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
  }
}
