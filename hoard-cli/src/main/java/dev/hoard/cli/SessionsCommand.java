package dev.hoard.cli;

import dev.hoard.session.Sessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoard sessions}: the commands that work on the session store at a URL. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Lists and revokes sessions in the session store at a URL (--url, else $"
        + Sessions.URL_VARIABLE + ").",
    subcommands = {
        SessionsListCommand.class,
        SessionsRevokeCommand.class,
        SessionsPurgeCommand.class})
final class SessionsCommand implements Runnable {

  @ParentCommand private Hoard hoard;

  @Spec private CommandSpec spec;

  Environment environment() {
    return hoard.environment();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }
}
