package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.cache.spi.StoreUrl;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache stats}: what the store itself can tell about its entries. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Prints what the store knows about itself: its number of entries, and the evictions,"
            + " expirations and unreadable entries it counted.",
        "Hit and miss counts live in each application's process, so this command does not show"
            + " them."})
final class CacheStatsCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    String url = store.resolve(environment).url();
    CacheStats stats;
    try (Cache opened = store.open(environment)) {
      stats = opened.stats();
    }
    PrintWriter out = environment.out();
    out.println("url:          " + StoreUrl.parse(url));
    out.println("entries:      "
        + (stats.size() >= 0 ? stats.size() : "unknown (the store cannot count cheaply)"));
    out.println("evictions:    " + stats.evictions());
    out.println("expirations:  " + stats.expirations());
    out.println("errors:       " + stats.errors());
    out.println("(evictions, expirations and errors are what this store counted since this command"
        + " opened it)");
    return Hoard.OK;
  }
}
