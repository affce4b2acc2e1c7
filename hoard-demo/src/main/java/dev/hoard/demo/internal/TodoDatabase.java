package dev.hoard.demo.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The demo's SQLite database of users and tasks: one connection, used by one thread at a time.
 * SQLite allows one writer anyway, and a single connection keeps every read consistent with the
 * last write without any pool configuration.
 */
final class TodoDatabase implements AutoCloseable {

  /** Work done on the connection. */
  @FunctionalInterface
  interface Work<T> {
    /** Runs with the connection; it is not kept afterwards. */
    T run(Connection connection) throws SQLException;
  }

  private static final String[] SCHEMA = {
    """
    CREATE TABLE IF NOT EXISTS users (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
      email         TEXT,
      password_hash TEXT    NOT NULL,
      role          TEXT    NOT NULL,
      created_at    INTEGER NOT NULL
    )""",
    """
    CREATE TABLE IF NOT EXISTS tasks (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      title       TEXT    NOT NULL,
      description TEXT    NOT NULL,
      completed   INTEGER NOT NULL,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS tasks_by_user ON tasks (user_id, id)"
  };

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private TodoDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating when missing) {@code todo.db} under {@code directory} and its tables. */
  static TodoDatabase open(Path directory) {
    Path file = directory.resolve("todo.db").toAbsolutePath();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the data directory " + directory.toAbsolutePath() + ": " + e.getMessage()
              + "; choose another with --data", e);
    }
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode = WAL");
        statement.execute("PRAGMA foreign_keys = ON");
        statement.execute("PRAGMA busy_timeout = 5000");
        for (String sql : SCHEMA) {
          statement.execute(sql);
        }
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
      return new TodoDatabase(file, connection);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot open the SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /** Runs {@code work} on the connection, alone; SQL errors become {@link DataAccessException}. */
  <T> T run(Work<T> work) {
    lock.lock();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new DataAccessException("database error in " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Whether the database answers a trivial query. */
  boolean isHealthy() {
    try {
      return run(c -> {
        try (Statement statement = c.createStatement()) {
          return statement.executeQuery("SELECT 1").next();
        }
      });
    } catch (DataAccessException e) {
      return false;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new DataAccessException("cannot close " + file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
