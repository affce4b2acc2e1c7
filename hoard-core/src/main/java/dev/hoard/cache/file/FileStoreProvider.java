package dev.hoard.cache.file;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Opens {@code file:///var/cache/app} (absolute) and {@code file:./cache} or {@code file:cache}
 * (relative to the working directory), with the optional parameter {@code purgeInterval} (e.g.
 * {@code 5m}).
 */
public final class FileStoreProvider implements CacheStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public FileStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    FileCacheStore.Builder builder = FileCacheStore.builder().directory(directory(url)).clock(clock);
    url.takeDuration("purgeInterval").ifPresent(builder::purgeInterval);
    return builder.build();
  }

  private static Path directory(StoreUrl url) {
    List<String> hosts = url.hosts();
    if (!hosts.isEmpty() && !hosts.equals(List.of("localhost"))) {
      throw new IllegalArgumentException(
          "file store URL " + url + " names a host '" + String.join(",", hosts) + "'; write"
              + " file:///absolute/path (three slashes) or file:relative/path");
    }
    String path = url.path();
    if (path.isEmpty()) {
      throw new IllegalArgumentException(
          "file store URL " + url + " has no directory; write file:///var/cache/app or"
              + " file:./cache");
    }
    if (path.matches("/[A-Za-z]:[/\\\\].*")) {
      path = path.substring(1); // file:///C:/cache on Windows
    }
    return Path.of(path).toAbsolutePath().normalize();
  }
}
