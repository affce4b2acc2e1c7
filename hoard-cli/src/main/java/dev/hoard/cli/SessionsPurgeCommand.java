package dev.hoard.cli;

import dev.hoard.session.SessionManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hoard sessions purge}: removes expired sessions now. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Removes expired sessions and prunes per-user indexes now, as the application's purge"
            + " schedule does. Stores that expire sessions natively (Redis, Memcached) report 0.",
        "Nothing to do for cookie sessions."})
final class SessionsPurgeCommand implements Callable<Integer> {

  @ParentCommand private SessionsCommand sessions;

  @Mixin private SessionOptions options;

  @Override
  public Integer call() {
    Environment environment = sessions.environment();
    try (SessionManager manager = options.open(environment)) {
      long purged = manager.purgeExpired();
      environment.out().println("purged " + purged + " expired "
          + (purged == 1 ? "session" : "sessions"));
    }
    return Hoard.OK;
  }
}
