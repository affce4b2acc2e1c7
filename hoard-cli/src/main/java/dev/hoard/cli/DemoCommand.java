package dev.hoard.cli;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.demo.TodoDemo;
import dev.hoard.session.Sessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hoard demo}: runs the Todo demo service with its dashboard until interrupted. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Runs the Todo demo service: users and tasks in SQLite, read through a Hoard cache, with"
            + " Hoard sessions, rate-limited login, Prometheus metrics and a live dashboard.",
        "Needs no servers by default: a memory cache, and data and sessions in SQLite under the"
            + " data directory. Stop it with Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

  @ParentCommand private Hoard hoard;

  @Mixin private ListenOptions listen;

  @Option(names = "--cache-url", paramLabel = "URL",
      description = {
          "The cache store, e.g. redis://localhost:6379/0?prefix=todo:.",
          "Default: $" + Caches.URL_VARIABLE + ", else " + TodoDemo.DEFAULT_CACHE_URL + "."})
  private String cacheUrl;

  @Option(names = "--session-url", paramLabel = "URL",
      description = {
          "The session store, e.g. redis://localhost:6379/0 or cookie://?keys=<base64 key>.",
          "Default: $" + Sessions.URL_VARIABLE + ", else jdbc:sqlite:<data>/sessions.db."})
  private String sessionUrl;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = ".hoard",
      description = "Where the SQLite databases live. Default: ./${DEFAULT-VALUE}.")
  private Path data;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces and library log messages.")
  private boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    Environment environment = hoard.environment();
    String cache = firstOf(cacheUrl, environment.variable(Caches.URL_VARIABLE),
        TodoDemo.DEFAULT_CACHE_URL);
    String sessions = firstOf(sessionUrl, environment.variable(Sessions.URL_VARIABLE),
        TodoDemo.sessionUrlUnder(data));
    TodoDemo demo = TodoDemo.builder()
        .host(listen.host)
        .port(listen.port)
        .cacheUrl(cache)
        .sessionUrl(sessions)
        .dataDirectory(data)
        .environment(environment.variables())
        .start();
    Thread shutdown = new Thread(demo::close, "hoard-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    PrintWriter out = environment.out();
    out.println("Hoard Todo demo running at " + demo.uri());
    out.println("  dashboard  " + demo.uri());
    out.println("  API        " + demo.uri().resolve("/api/auth/register") + " (see the README)");
    out.println("  metrics    " + demo.uri().resolve("/metrics"));
    out.println("  health     " + demo.uri().resolve("/health"));
    out.println("  cache      " + StoreUrl.parse(cache));
    out.println("  sessions   " + StoreUrl.parse(sessions));
    out.println("  data       " + data.toAbsolutePath().normalize());
    out.println("Press Ctrl-C to stop.");
    out.flush();
    try {
      demo.join();
    } finally {
      // Interrupted (in-process callers) rather than stopped with Ctrl-C: close now.
      demo.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdown);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or has run; it closes the demo too.
      }
    }
    return Hoard.OK;
  }

  private static String firstOf(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null) {
        return candidate;
      }
    }
    throw new IllegalStateException("no candidate given");
  }
}
