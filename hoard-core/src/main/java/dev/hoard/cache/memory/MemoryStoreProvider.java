package dev.hoard.cache.memory;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@code memory://?maximumSize=10000}, {@code memory://?maximumWeight=67108864} (bytes) and
 * {@code memory://?copyValues=true}; {@code memory:///} is {@code memory://}.
 */
public final class MemoryStoreProvider implements CacheStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public MemoryStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    // memory:/// is memory:// written as a valid java.net.URI (JCache cache manager URIs are).
    if (!url.hosts().isEmpty() || !(url.path().isEmpty() || url.path().equals("/"))) {
      throw new IllegalArgumentException(
          "a memory store has no host or path: write memory://?maximumSize=10000, not " + url);
    }
    MemoryCacheStore.Builder builder = MemoryCacheStore.builder().clock(clock);
    url.takeLong("maximumSize").ifPresent(builder::maximumSize);
    url.takeLong("maximumWeight").ifPresent(builder::maximumWeight);
    if (url.takeBoolean("copyValues").orElse(false)) {
      builder.copyValues();
    }
    return builder.build();
  }
}
