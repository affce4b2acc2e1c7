package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.StoreUrl;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code hoard cache test}: checks the store at a URL end to end. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Checks the store end to end: round trips, TTLs, atomic counters, batches, key listing,"
            + " scopes, tags and single-flight loading.",
        "Works in a throwaway scope (hoard-cli-test=<random id>) and removes it afterwards, so it"
            + " never touches other entries. Exit status 1 when any check fails."})
final class CacheTestCommand implements Callable<Integer> {

  @ParentCommand private CacheCommand cache;

  @Mixin private StoreOptions store;

  @Override
  public Integer call() {
    Environment environment = cache.environment();
    PrintWriter out = environment.out();
    StoreOptions.Resolved resolved = store.resolve(environment);
    List<SelfTest.Result> results;
    try (Cache opened = store.open(environment)) {
      SelfTest test = new SelfTest(opened, UUID.randomUUID().toString(), result -> {
        out.println(line(result, environment.symbols()));
        out.flush();
      });
      out.println("Testing " + StoreUrl.parse(resolved.url()) + " (from " + resolved.source()
          + ") in scope " + SelfTest.SCOPE_KIND + "=" + test.scopeId());
      out.flush();
      results = test.run();
    }
    long failed = count(results, SelfTest.Status.FAILED);
    long skipped = count(results, SelfTest.Status.SKIPPED);
    long passed = count(results, SelfTest.Status.PASSED);
    out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
    return failed == 0 ? Hoard.OK : Hoard.FAILED;
  }

  private static String line(SelfTest.Result result, boolean symbols) {
    String mark = switch (result.status()) {
      case PASSED -> symbols ? "✔" : "OK  ";
      case FAILED -> symbols ? "✘" : "FAIL";
      case SKIPPED -> symbols ? "–" : "SKIP";
    };
    return mark + " " + result.check() + (result.detail() == null ? "" : ": " + result.detail());
  }

  private static long count(List<SelfTest.Result> results, SelfTest.Status status) {
    return results.stream().filter(r -> r.status() == status).count();
  }
}
