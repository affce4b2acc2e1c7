package dev.hoard.cli;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.spi.StoreUrl;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache stats}: what the store itself can tell about its entries. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Prints what the store knows about itself: its number of entries (as the server counts"
            + " them, else by listing the keys), and the evictions, expirations and"
            + " unreadable entries it counted.",
        "Hit and miss counts live in each application's process, so this command cannot show"
            + " them."})
final class CacheStatsCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    String url = store.resolve(environment).url();
    StoreStatistics statistics;
    String entries;
    try (CacheStore bare = store.openStore(environment)) {
      statistics = bare.statistics();
      entries = entries(bare, statistics, environment);
    }
    PrintWriter out = environment.out();
    out.println("url:          " + StoreUrl.parse(url));
    out.println("entries:      " + entries);
    out.println("evictions:    " + statistics.evictions());
    out.println("expirations:  " + statistics.expirations());
    out.println("errors:       " + statistics.errors());
    out.println("(evictions, expirations and errors: counted by the store since this command"
        + " opened it)");
    return Hoard.OK;
  }

  private static String entries(
      CacheStore store, StoreStatistics statistics, Environment environment) {
    if (statistics.size() >= 0) {
      return Long.toString(statistics.size());
    }
    long reported = store.report().size();
    if (reported >= 0) {
      return reported + " (as the server counts them)";
    }
    if (!store.capabilities().contains(StoreCapability.KEY_SCAN)) {
      return "unknown (the store neither counts nor lists its keys)";
    }
    try (Stream<String> keys = store.keys(Glob.of("*"));
        ProgressLine progress = ProgressLine.start(environment, "counting keys")) {
      keys.forEach(key -> progress.advance());
      return progress.count()
          + " (counted by listing every key, scoped views and tags included)";
    }
  }
}
