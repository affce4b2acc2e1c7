package dev.hoard.ratelimit;

import dev.hoard.cache.file.FileCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.testing.RateLimiterContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The window algorithms on the file store, and its clear refusal of a token bucket. */
class FileRateLimiterContractTest extends RateLimiterContract {

  @TempDir
  Path directory;

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return FileCacheStore.builder().directory(directory).clock(clock).build();
  }
}
