package dev.hoard.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSessionStoreTest extends JdbcSessionStoreSuite {

  @TempDir
  static Path directory;

  @Override
  protected String driverUrl() {
    return "jdbc:sqlite:" + directory.resolve("sessions.db");
  }
}
