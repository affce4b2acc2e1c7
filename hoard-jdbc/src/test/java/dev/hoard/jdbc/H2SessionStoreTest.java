package dev.hoard.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2SessionStoreTest extends JdbcSessionStoreSuite {

  @TempDir
  static Path directory;

  @Override
  protected String driverUrl() {
    return "jdbc:h2:file:" + directory.resolve("sessions");
  }
}
