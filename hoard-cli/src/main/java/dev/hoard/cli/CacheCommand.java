package dev.hoard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hoard cache}: the commands that work on the cache store at a URL. */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Works on the cache store at a URL (--url, else $HOARD_CACHE_URL, else "
        + StoreOptions.DEFAULT_URL + ").",
    subcommands = {
        CacheTestCommand.class,
        CacheConfigCommand.class,
        CacheGetCommand.class,
        CachePutCommand.class,
        CacheForgetCommand.class,
        CacheClearCommand.class,
        CacheKeysCommand.class,
        CacheStatsCommand.class})
final class CacheCommand implements Runnable {

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
