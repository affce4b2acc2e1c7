package dev.hoard.cli;

import dev.hoard.session.SessionManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoard sessions revoke HANDLE | --user U}: ends one session, or all of a user's. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Ends the session with HANDLE (as 'list' prints it), or with --user every session of that"
            + " user (\"log out everywhere\").",
        "Exit status 1 when no session has HANDLE, and on cookie sessions, which the server"
            + " cannot revoke before they expire."})
final class SessionsRevokeCommand implements Callable<Integer> {

  @ParentCommand private SessionsCommand sessions;

  @Spec private CommandSpec spec;

  @Mixin private SessionOptions options;

  @Parameters(paramLabel = "HANDLE", arity = "0..1", description = "The session's handle.")
  private String handle;

  @Option(names = "--user", paramLabel = "USER", description = "Revoke every session of USER.")
  private String user;

  @Override
  public Integer call() {
    if ((handle == null) == (user == null)) {
      throw new ParameterException(spec.commandLine(), "give either HANDLE or --user USER");
    }
    Environment environment = sessions.environment();
    try (SessionManager manager = options.open(environment)) {
      if (user != null) {
        long revoked = manager.revokeUser(user);
        environment.out().println("revoked " + revoked + (revoked == 1 ? " session" : " sessions")
            + " of user '" + user + "'");
        return Hoard.OK;
      }
      if (!manager.revoke(handle)) {
        environment.err().println("hoard: no live session has handle " + handle);
        return Hoard.FAILED;
      }
      environment.out().println("revoked session " + handle);
      return Hoard.OK;
    }
  }
}
