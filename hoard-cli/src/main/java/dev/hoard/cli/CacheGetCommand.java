package dev.hoard.cli;

import dev.hoard.cache.Cache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache get KEY}: prints a cached value. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Prints the value at KEY; exit status 1 when there is none.")
final class CacheGetCommand implements Callable<Integer> {

  /** How a value is printed. */
  enum Format { JSON, STRING }

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Parameters(paramLabel = "KEY", description = "The key.")
  private String key;

  @Option(
      names = "--type",
      paramLabel = "json|string",
      defaultValue = "json",
      description = "json (default) prints one line of JSON; string prints text as it is.")
  private Format type;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    Object value;
    try (Cache opened = store.open(environment)) {
      value = opened.get(key);
    }
    if (value == null) {
      environment.err().println("hoard: no entry for key '" + key + "'");
      return Hoard.FAILED;
    }
    if (type == Format.JSON) {
      environment.out().println(Json.print(value));
      return Hoard.OK;
    }
    String text = Json.text(value);
    if (text == null) {
      environment.err().println("hoard: the value at key '" + key + "' is " + Json.kind(value)
          + ", not text; print it with --type json");
      return Hoard.FAILED;
    }
    environment.out().println(text);
    return Hoard.OK;
  }
}
