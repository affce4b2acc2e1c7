package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache put KEY VALUE}: stores a value. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Stores VALUE at KEY, replacing what was there.")
final class CachePutCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  private String key;

  @Parameters(
      index = "1", paramLabel = "VALUE", description = "The value: text, or JSON with --json.")
  private String value;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      description = {
          "How long the entry lives: 500ms, 30s, 10m, 2h, 1d or PT10M.",
          "Default: the URL's ttl parameter, else the library's default."})
  private String ttl;

  @Option(names = "--json", description = "Parse VALUE as JSON (an object, array, number…).")
  private boolean json;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    Object parsed = json ? Json.parse(value) : value;
    try (Cache opened = store.open(environment)) {
      if (ttl == null) {
        opened.put(key, parsed);
      } else {
        opened.put(key, parsed, parseTtl());
      }
    }
    environment.out().println("stored '" + key + "'");
    return Hoard.OK;
  }

  private Duration parseTtl() {
    try {
      return Durations.parse(ttl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--ttl " + e.getMessage(), e);
    }
  }
}
