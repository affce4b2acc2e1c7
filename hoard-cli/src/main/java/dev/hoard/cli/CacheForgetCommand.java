package dev.hoard.cli;

import dev.hoard.cache.Cache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache forget KEY}: removes one entry. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Removes the entry at KEY; succeeds whether or not there was one.")
final class CacheForgetCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Parameters(paramLabel = "KEY", description = "The key.")
  private String key;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    boolean removed;
    try (Cache opened = store.open(environment)) {
      removed = opened.delete(key);
    }
    environment.out().println(removed ? "forgot '" + key + "'" : "no entry for key '" + key + "'");
    return Hoard.OK;
  }
}
