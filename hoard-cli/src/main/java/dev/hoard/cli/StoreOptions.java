package dev.hoard.cli;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import java.time.Clock;
import java.util.ServiceLoader;
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

  /**
   * Opens the bare store behind the resolved URL, for what the {@link Cache} API does not show
   * (description, capabilities, store-wide key listing); the caller closes it.
   *
   * @throws IllegalArgumentException for an unknown scheme or parameter, as {@link #open} would
   */
  CacheStore openStore(Environment environment) {
    String resolved = resolve(environment).url();
    // Caches.open checks the whole URL, cache-level parameters (name, ttl, codec) included; the
    // provider then opens the store and ignores those.
    Caches.open(resolved).close();
    String scheme = StoreUrl.parse(resolved).scheme();
    for (CacheStoreProvider provider : ServiceLoader.load(CacheStoreProvider.class)) {
      if (provider.schemes().contains(scheme)) {
        return provider.open(StoreUrl.parse(resolved), Clock.systemUTC());
      }
    }
    throw new IllegalStateException("no store provider for scheme '" + scheme + "'");
  }
}
