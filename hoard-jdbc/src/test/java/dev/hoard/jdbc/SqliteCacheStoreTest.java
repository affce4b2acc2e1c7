package dev.hoard.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteCacheStoreTest extends JdbcStoreSuite {

  @TempDir
  static Path directory;

  @Override
  protected String driverUrl() {
    return "jdbc:sqlite:" + directory.resolve("cache.db");
  }
  @Override
  protected String unsyncedCommitParameters() {
    return "&synchronous=NORMAL";
  }
}
