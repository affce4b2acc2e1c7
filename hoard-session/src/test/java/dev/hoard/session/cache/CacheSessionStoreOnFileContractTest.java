package dev.hoard.session.cache;

import dev.hoard.cache.file.FileCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.io.TempDir;

class CacheSessionStoreOnFileContractTest extends SessionStoreContract {

  @TempDir
  Path directory;

  private CacheStore cache;

  @Override
  protected SessionStore openStore(ManualClock clock) {
    cache = FileCacheStore.builder().directory(directory.resolve("sessions")).clock(clock)
        .purgeInterval(Duration.ofHours(1)).build();
    return CacheSessionStore.builder(cache).prefix("app:").build();
  }

  @Override
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.of(UserIndexes.size(cache, "app:", userId));
  }
}
