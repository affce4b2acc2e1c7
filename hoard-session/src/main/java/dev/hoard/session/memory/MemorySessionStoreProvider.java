package dev.hoard.session.memory;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.util.Set;

/** Opens {@code memory://} and {@code memory://?maximumSize=100000} session stores. */
public final class MemorySessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public MemorySessionStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("memory");
  }

  @Override
  public SessionBackend open(StoreUrl url, Clock clock) {
    if (!url.hosts().isEmpty() || !url.path().isEmpty()) {
      throw new IllegalArgumentException(
          "a memory session store has no host or path: write memory://?maximumSize=100000, not "
              + url);
    }
    MemorySessionStore.Builder builder = MemorySessionStore.builder().clock(clock);
    url.takeLong("maximumSize").ifPresent(builder::maximumSize);
    return builder.build();
  }
}
