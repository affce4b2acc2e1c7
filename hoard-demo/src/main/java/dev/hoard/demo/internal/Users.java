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

/** The users table. Reads here always go to the database; {@link TodoStore} caches them. */
final class Users {

  /** What login needs: the id and the stored password hash. */
  record Credentials(long id, String passwordHash) {}

  private static final String COLUMNS = "id, username, email, role, created_at";

  private final TodoDatabase database;
  private final Clock clock;

  Users(TodoDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Adds a user, as admin when it is the first one; empty when the name is taken. The check and
   * the insert run in one transaction, so two racing registrations cannot both become admin.
   */
  Optional<User> create(String username, String email, String passwordHash) {
    long now = clock.millis();
    return database.run(c -> {
      c.setAutoCommit(false);
      try {
        if (exists(c, username)) {
          c.rollback();
          return Optional.empty();
        }
        String role;
        try (Statement statement = c.createStatement();
            ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM users")) {
          rows.next();
          role = rows.getLong(1) == 0 ? User.ADMIN : User.MEMBER;
        }
        long id;
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO users (username, email, password_hash, role, created_at)"
                + " VALUES (?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
          insert.setString(1, username);
          insert.setString(2, email);
          insert.setString(3, passwordHash);
          insert.setString(4, role);
          insert.setLong(5, now);
          insert.executeUpdate();
          try (ResultSet keys = insert.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
        }
        c.commit();
        return Optional.of(new User(id, username, email, role, Instant.ofEpochMilli(now)));
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  private static boolean exists(Connection c, String username) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM users WHERE username = ?")) {
      query.setString(1, username);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  Optional<User> find(long id) {
    return database.run(c -> {
      try (PreparedStatement query =
          c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
        query.setLong(1, id);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.of(user(rows)) : Optional.empty();
        }
      }
    });
  }

  Optional<Credentials> credentials(String username) {
    return database.run(c -> {
      try (PreparedStatement query =
          c.prepareStatement("SELECT id, password_hash FROM users WHERE username = ?")) {
        query.setString(1, username);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next()
              ? Optional.of(new Credentials(rows.getLong(1), rows.getString(2)))
              : Optional.empty();
        }
      }
    });
  }

  /** Replaces the user's password hash; false when there is no such user. */
  boolean changePassword(long id, String passwordHash) {
    return update("UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, id);
  }

  /** Replaces the user's email (null for none); false when there is no such user. */
  boolean changeEmail(long id, String email) {
    return update("UPDATE users SET email = ? WHERE id = ?", email, id);
  }

  private boolean update(String sql, String value, long id) {
    return database.run(c -> {
      try (PreparedStatement update = c.prepareStatement(sql)) {
        update.setString(1, value);
        update.setLong(2, id);
        return update.executeUpdate() == 1;
      }
    });
  }

  /** Every user id, for revoking everyone's sessions. */
  List<Long> ids() {
    return database.run(c -> {
      List<Long> ids = new ArrayList<>();
      try (Statement statement = c.createStatement();
          ResultSet rows = statement.executeQuery("SELECT id FROM users ORDER BY id")) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
      return ids;
    });
  }

  private static User user(ResultSet rows) throws SQLException {
    return new User(
        rows.getLong("id"),
        rows.getString("username"),
        rows.getString("email"),
        rows.getString("role"),
        Instant.ofEpochMilli(rows.getLong("created_at")));
  }
}
