package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.StoreUrl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache clear --yes}: removes every entry of the store. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Removes every entry of the store (on a shared server: every key under the URL's prefix,"
            + " never other applications' keys).",
        "Asks for --yes because it cannot be undone."})
final class CacheClearCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Option(names = "--yes", description = "Confirm: really remove every entry.")
  private boolean yes;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    String shown = StoreUrl.parse(store.resolve(environment).url()).toString();
    if (!yes) {
      environment.err().println(
          "hoard: refusing to clear " + shown + " without --yes: it removes every entry");
      return Hoard.USAGE;
    }
    try (Cache opened = store.open(environment)) {
      opened.clear();
    }
    environment.out().println("cleared " + shown);
    return Hoard.OK;
  }
}
