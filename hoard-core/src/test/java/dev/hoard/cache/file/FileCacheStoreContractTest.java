package dev.hoard.cache.file;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileCacheStoreContractTest extends CacheStoreContract {

  @TempDir
  Path directory;

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return FileCacheStore.builder().directory(directory.resolve("cache")).clock(clock).build();
  }
}
