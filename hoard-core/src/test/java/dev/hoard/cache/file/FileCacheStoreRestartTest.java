package dev.hoard.cache.file;

import dev.hoard.cache.testing.RestartCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file cache written by a process that died keeps its entries for the next processes. */
class FileCacheStoreRestartTest {

  @TempDir
  Path temp;

  @Test
  void aCacheSurvivesAProcessRestart() throws Exception {
    RestartCheck.survivesARestart(temp.resolve("cache").toUri().toString(), temp);
  }
}
