package dev.hoard.cli;

import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import picocli.CommandLine.Option;

/** The options every {@code hoard sessions} command shares: the store, how much to say. */
final class SessionOptions {

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = {
          "The session store, e.g. redis://host:6379, jdbc:postgresql://host/app,"
              + " cache:memcached://host:11211.",
          "Default: $" + Sessions.URL_VARIABLE + "."})
  private String url;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces and library log messages.")
  private boolean verbose;

  /**
   * Opens the manager at {@code --url}, else {@code HOARD_SESSION_URL}; the caller closes it.
   *
   * @throws IllegalArgumentException when neither is given, or the URL is bad
   */
  SessionManager open(Environment environment) {
    String resolved = url != null ? url : environment.variable(Sessions.URL_VARIABLE);
    if (resolved == null) {
      throw new IllegalArgumentException(
          "no session store: pass --url or set " + Sessions.URL_VARIABLE
              + ", e.g. redis://localhost:6379");
    }
    return Sessions.open(resolved);
  }
}
