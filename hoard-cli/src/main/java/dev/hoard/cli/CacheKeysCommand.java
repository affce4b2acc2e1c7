package dev.hoard.cli;

import dev.hoard.cache.Cache;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache keys [GLOB]}: lists keys, streamed from the store. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Lists the keys matching GLOB, one a line, as the store streams them (never a blocking"
            + " KEYS on a server).",
        "Exit status 1 on stores that cannot list keys, such as Memcached."})
final class CacheKeysCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Parameters(
      paramLabel = "GLOB",
      arity = "0..1",
      defaultValue = "*",
      description = "Redis-style glob: * any run, ? one character, [abc] a set, \\ escapes."
          + " Default: ${DEFAULT-VALUE}")
  private String glob;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N keys.")
  private Long limit;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    if (limit != null && limit <= 0) {
      throw new IllegalArgumentException("--limit must be a positive number, was " + limit);
    }
    PrintWriter out = environment.out();
    try (Cache opened = store.open(environment); Stream<String> keys = opened.keys(glob)) {
      long printed = 0;
      for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
        if (limit != null && printed == limit) {
          environment.err().println("hoard: stopped after " + limit + " keys (--limit)");
          break;
        }
        out.println(it.next());
        printed++;
      }
    } catch (UnsupportedOperationException e) {
      environment.err().println("hoard: this store cannot list keys (" + e.getMessage() + ")");
      return Hoard.FAILED;
    }
    return Hoard.OK;
  }
}
