package dev.hoard.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2CacheStoreTest extends JdbcStoreSuite {

  @TempDir
  static Path directory;

  @Override
  protected String driverUrl() {
    return "jdbc:h2:file:" + directory.resolve("cache");
  }

  /** H2 locks its file to one process: the restart test gets a database of its own. */
  @Override
  protected String driverUrlForAnotherProcess() {
    return "jdbc:h2:file:" + directory.resolve("restart");
  }
}
