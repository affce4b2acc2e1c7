package dev.hoard.cli;

import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionManager;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hoard sessions list --user U}: a user's live sessions, the most recently used first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Lists the live sessions of a user, one a line, the most recently used first: the handle"
            + " (a hash, not the session id; give it to 'revoke'), when it was created, last used"
            + " and when it expires, and the address and User-Agent of its latest use ('-' when"
            + " the store did not keep them).",
        "Exit status 1 on cookie sessions, which the server cannot list."})
final class SessionsListCommand implements Callable<Integer> {

  @ParentCommand private SessionsCommand sessions;

  @Mixin private SessionOptions options;

  @Option(names = "--user", paramLabel = "USER", required = true, description = "The user id.")
  private String user;

  @Override
  public Integer call() {
    Environment environment = sessions.environment();
    PrintWriter out = environment.out();
    try (SessionManager manager = options.open(environment)) {
      for (SessionInfo session : manager.sessionsOf(user)) {
        out.println(session.handle() + "  created " + session.createdAt() + "  last used "
            + session.lastAccessedAt() + "  expires " + session.expiresAt() + "  from "
            + (session.address() == null ? "-" : session.address()) + "  agent "
            + (session.userAgent() == null ? "-" : Json.print(session.userAgent())));
      }
    }
    return Hoard.OK;
  }
}
