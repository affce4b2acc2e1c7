package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import picocli.CommandLine.Option;

/** The options every {@code hoard cache} command shares: the store, how much to say on errors. */
final class StoreOptions {

  /** The store used when neither {@code --url} nor {@code HOARD_CACHE_URL} says otherwise. */
  static final String DEFAULT_URL = "file:./.hoard/cache";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = {
          "The store, e.g. memory://, file:./.hoard/cache, redis://host:6379/0.",
          "Default: $" + Caches.URL_VARIABLE + ", else " + DEFAULT_URL + "."})
  private String url;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces and library log messages.")
  private boolean verbose;

  /**
   * A store URL and where it came from.
   *
   * @param url the URL as given (it may hold a password: print it only through {@link
   *     dev.hoard.cache.spi.StoreUrl#toString()})
   * @param source {@code --url}, the variable name, or {@code default}
   */
  record Resolved(String url, String source) {}

  /** The URL to use: {@code --url}, else {@code HOARD_CACHE_URL}, else {@link #DEFAULT_URL}. */
  Resolved resolve(Environment environment) {
    if (url != null) {
      return new Resolved(url, "--url");
    }
    String fromVariable = environment.variable(Caches.URL_VARIABLE);
    if (fromVariable != null) {
      return new Resolved(fromVariable, Caches.URL_VARIABLE);
    }
    return new Resolved(DEFAULT_URL, "default");
  }

  /** Opens the cache at the resolved URL; the caller closes it. */
  Cache open(Environment environment) {
    return Caches.open(resolve(environment).url());
  }
}
