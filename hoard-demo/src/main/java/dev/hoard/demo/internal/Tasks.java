package dev.hoard.demo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tasks table. Reads here always go to the database; {@link TodoStore} caches them. */
final class Tasks {

  private static final String COLUMNS =
      "id, user_id, title, description, completed, created_at, updated_at";

  private final TodoDatabase database;
  private final Clock clock;

  Tasks(TodoDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  Task create(long userId, String title, String description, boolean completed) {
    long now = clock.millis();
    return database.run(c -> {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO tasks (user_id, title, description, completed, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        insert.setLong(1, userId);
        insert.setString(2, title);
        insert.setString(3, description);
        insert.setInt(4, completed ? 1 : 0);
        insert.setLong(5, now);
        insert.setLong(6, now);
        insert.executeUpdate();
        try (ResultSet keys = insert.getGeneratedKeys()) {
          keys.next();
          Instant at = Instant.ofEpochMilli(now);
          return new Task(keys.getLong(1), userId, title, description, completed, at, at);
        }
      }
    });
  }

  /** The user's tasks, oldest first. */
  List<Task> of(long userId) {
    return database.run(c -> {
      try (PreparedStatement query = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM tasks WHERE user_id = ? ORDER BY id")) {
        query.setLong(1, userId);
        try (ResultSet rows = query.executeQuery()) {
          List<Task> tasks = new ArrayList<>();
          while (rows.next()) {
            tasks.add(task(rows));
          }
          return List.copyOf(tasks);
        }
      }
    });
  }

  /**
   * The user's tasks whose title or description contains {@code text} (ASCII letters compared
   * without case), oldest first.
   */
  List<Task> search(long userId, String text) {
    String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        + "%";
    return database.run(c -> {
      try (PreparedStatement query = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM tasks WHERE user_id = ?"
              + " AND (title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\') ORDER BY id")) {
        query.setLong(1, userId);
        query.setString(2, pattern);
        query.setString(3, pattern);
        try (ResultSet rows = query.executeQuery()) {
          List<Task> tasks = new ArrayList<>();
          while (rows.next()) {
            tasks.add(task(rows));
          }
          return List.copyOf(tasks);
        }
      }
    });
  }

  /** The task with this id, whoever owns it. */
  Optional<Task> find(long id) {
    return database.run(c -> find(c, id));
  }

  /** Writes the task's title, description and completion; empty when it is gone. */
  Optional<Task> update(Task task) {
    long now = clock.millis();
    return database.run(c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE tasks SET title = ?, description = ?, completed = ?, updated_at = ?"
              + " WHERE id = ? AND user_id = ?")) {
        update.setString(1, task.title());
        update.setString(2, task.description());
        update.setInt(3, task.completed() ? 1 : 0);
        update.setLong(4, now);
        update.setLong(5, task.id());
        update.setLong(6, task.userId());
        if (update.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      return find(c, task.id());
    });
  }

  /** Deletes the user's task; returns whether there was one. */
  boolean delete(long userId, long id) {
    return database.run(c -> {
      try (PreparedStatement delete =
          c.prepareStatement("DELETE FROM tasks WHERE id = ? AND user_id = ?")) {
        delete.setLong(1, id);
        delete.setLong(2, userId);
        return delete.executeUpdate() > 0;
      }
    });
  }

  private static Optional<Task> find(Connection c, long id) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE id = ?")) {
      query.setLong(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(task(rows)) : Optional.empty();
      }
    }
  }

  private static Task task(ResultSet rows) throws SQLException {
    return new Task(
        rows.getLong("id"),
        rows.getLong("user_id"),
        rows.getString("title"),
        rows.getString("description"),
        rows.getInt("completed") != 0,
        Instant.ofEpochMilli(rows.getLong("created_at")),
        Instant.ofEpochMilli(rows.getLong("updated_at")));
  }
}
