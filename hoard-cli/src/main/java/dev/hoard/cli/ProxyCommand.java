package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.Durations;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cli.proxy.CachingProxy;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hoard proxy}: a caching reverse proxy to one origin, its cache in any Hoard store. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = {
        "Runs a caching reverse proxy in front of one origin (RFC 9111 shared cache). Its cache"
            + " lives in any Hoard store: every node given the same --cache-url shares one cache"
            + " and one purge.",
        "Purge with PURGE <path> (or with a Cache-Tag header, every response with that tag), or"
            + " POST /_hoard/purge?url=<URL>&tag=<tag>; with --purge-token both need"
            + " 'Authorization: Bearer <token>', without it they come from loopback only.",
        "Meters at /metrics (Prometheus). One access log line per request on standard output."
            + " Stop it with Ctrl-C or SIGTERM: requests in flight finish first."})
final class ProxyCommand implements Callable<Integer> {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

  @ParentCommand private Hoard hoard;

  @Option(names = "--to", paramLabel = "URL", required = true,
      description = "The origin, e.g. http://origin:8000.")
  private String to;

  @Mixin private ListenOptions listen;

  @Option(names = "--cache-url", paramLabel = "URL",
      description = {
          "The cache store, e.g. redis://localhost:6379/0?prefix=proxy:&codec=bytes.",
          "Default: $" + Caches.URL_VARIABLE + ", else memory://?maximumSize=10000."})
  private String cacheUrl;

  @Option(names = "--max-body", paramLabel = "SIZE", defaultValue = "1MiB",
      description = "The largest body kept in the cache (larger ones stream through): 512KiB,"
          + " 1MiB, 1048576. Default: ${DEFAULT-VALUE}.")
  private String maxBody;

  @Option(names = "--default-ttl", paramLabel = "DURATION", defaultValue = "0",
      description = "Freshness for responses that give none (30s, 5m, 1h); 0 for none, as"
          + " RFC 9111 says. Default: ${DEFAULT-VALUE}.")
  private String defaultTtl;

  @Option(names = "--purge-token", paramLabel = "TOKEN",
      description = "The bearer token purges must carry. Default: $HOARD_PURGE_TOKEN, else none"
          + " (purges from loopback only).")
  private String purgeToken;

  @Option(names = "--via", description = "Add Via to requests and responses (RFC 9110 §7.6.3).")
  private boolean via;

  @Option(names = "--quiet", description = "No access log.")
  private boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces and library log messages.")
  private boolean verbose;

  @Override
  public Integer call() {
    Environment environment = hoard.environment();
    URI origin = origin(to);
    int maximumBody = bytes(maxBody);
    Duration ttl = defaultTtl.trim().equals("0") ? null : duration(defaultTtl);
    String url = firstOf(cacheUrl, environment.variable(Caches.URL_VARIABLE),
        "memory://?maximumSize=10000");
    String token = purgeToken != null ? purgeToken : environment.variable("HOARD_PURGE_TOKEN");
    PrintWriter out = environment.out();
    Cache cache = Caches.open(url);
    CachingProxy proxy;
    try {
      proxy = CachingProxy.builder(origin, cache)
          .host(listen.host)
          .port(listen.port)
          .maximumBodySize(maximumBody)
          .defaultTtl(ttl)
          .purgeToken(token)
          .via(via)
          .accessLog(quiet ? null : line -> {
            synchronized (out) {
              out.println(line);
              out.flush();
            }
          })
          .start();
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
    Runnable stop = () -> {
      proxy.close();
      cache.close();
    };
    Thread shutdown = new Thread(stop, "hoard-proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    out.println("Hoard proxy at " + proxy.uri() + " -> " + origin);
    out.println("  cache      " + StoreUrl.parse(url));
    out.println("  metrics    " + proxy.uri().resolve(CachingProxy.METRICS_PATH));
    out.println("  purge      PURGE <path> | POST " + proxy.uri().resolve("/_hoard/purge")
        + (token == null ? " (loopback only)" : " (bearer token)"));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    try {
      proxy.join();
    } catch (InterruptedException stopRequested) {
      // In-process callers stop the proxy by interrupting the thread that runs it.
      Thread.currentThread().interrupt();
    } finally {
      // Interrupted (in-process callers) rather than stopped with Ctrl-C: stop now.
      try {
        Runtime.getRuntime().removeShutdownHook(shutdown);
        stop.run();
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or has run; it stops the proxy.
      }
    }
    return Hoard.OK;
  }

  private static URI origin(String text) {
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--to must be a URL such as http://origin:8000, was '"
          + text + "'", e);
    }
    if (uri.getScheme() == null || uri.getHost() == null
        || !uri.getScheme().equalsIgnoreCase("http") && !uri.getScheme().equalsIgnoreCase("https")) {
      throw new IllegalArgumentException("--to must be an http(s) URL such as"
          + " http://origin:8000, was '" + text + "'");
    }
    return uri;
  }

  /** {@code 1MiB}, {@code 512k}, {@code 1048576}: binary multiples, up to 1 GiB. */
  static int bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--max-body must be a size like 512KiB, 1MiB or 1048576, was '" + text + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long multiplier = switch (unit.charAt(0)) {
      case 'k' -> 1L << 10;
      case 'm' -> 1L << 20;
      case 'g' -> 1L << 30;
      default -> 1;
    };
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > 1L << 30) {
      throw new IllegalArgumentException("--max-body must be at most 1GiB, was '" + text + "'");
    }
    return (int) bytes;
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--default-ttl " + e.getMessage(), e);
    }
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
