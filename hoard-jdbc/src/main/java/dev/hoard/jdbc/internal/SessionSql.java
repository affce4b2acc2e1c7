package dev.hoard.jdbc.internal;

import java.util.Collections;
import java.util.List;

/**
 * Every statement the JDBC session store runs, built once from its {@link Dialect} for a session
 * table and its attribute table ({@code <table>_attributes}). The table names are the only text
 * spliced in, checked to be plain identifiers first; everything else travels as parameters.
 *
 * <p>Sessions: {@code session_key} (primary key), {@code created_at}, {@code last_access}, {@code
 * expires_at} (epoch millis, indexed), {@code user_id} (indexed). Attributes: {@code
 * session_key}, {@code name} (UTF-8 bytes, so names compare exactly under any collation), {@code
 * attr_value}; primary key (session_key, name).
 */
public final class SessionSql {

  /** Longest session table name: its attribute table's name must fit {@link TableSql#MAX_TABLE_NAME}. */
  public static final int MAX_TABLE_NAME = TableSql.MAX_TABLE_NAME - "_attributes".length();

  private static final String SESSION_COLUMNS =
      "s.created_at, s.last_access, s.expires_at, s.user_id, a.name, a.attr_value";

  private final Dialect dialect;
  private final String sessions;
  private final String attributes;

  private SessionSql(Dialect dialect, String sessions) {
    this.dialect = dialect;
    this.sessions = sessions;
    this.attributes = sessions + "_attributes";
  }

  /**
   * The statements for session table {@code table}.
   *
   * @throws IllegalArgumentException naming the table when it is not a plain SQL identifier
   */
  public static SessionSql of(Dialect dialect, String table) {
    return new SessionSql(dialect, TableSql.checkTableName(table, MAX_TABLE_NAME));
  }

  /** The session table. */
  public String sessions() {
    return sessions;
  }

  /** The attribute table. */
  public String attributes() {
    return attributes;
  }

  /** Creates both tables and their indexes when absent. */
  public List<String> createTables() {
    return dialect.createSessionTables(sessions, attributes);
  }

  /** Queries that read nothing but fail when a table or column is missing. */
  public List<String> probes() {
    return List.of(
        "SELECT session_key, created_at, last_access, expires_at, user_id FROM " + sessions
            + " WHERE 1 = 0",
        "SELECT session_key, name, attr_value FROM " + attributes + " WHERE 1 = 0");
  }

  /**
   * (key, now) → created_at, last_access, expires_at, user_id, name, attr_value: one row per
   * attribute (one with null name when there are none) of the live session, in one statement.
   */
  public String selectSession() {
    return "SELECT " + SESSION_COLUMNS + " FROM " + sessions + " s LEFT JOIN " + attributes
        + " a ON a.session_key = s.session_key WHERE s.session_key = ? AND s.expires_at > ?";
  }

  /** (user, now) → session_key then the columns of {@link #selectSession()}, by key. */
  public String selectByUser() {
    return "SELECT s.session_key, " + SESSION_COLUMNS + " FROM " + sessions + " s LEFT JOIN "
        + attributes + " a ON a.session_key = s.session_key WHERE s.user_id = ?"
        + " AND s.expires_at > ? ORDER BY s.session_key";
  }

  /** (key, created, access, expires, user): insert or replace the session row. */
  public String upsertSession() {
    return dialect.upsert(sessions, List.of("session_key"),
        List.of("session_key", "created_at", "last_access", "expires_at", "user_id"));
  }

  /** (key, name, value): insert or replace one attribute. */
  public String upsertAttribute() {
    return dialect.upsert(attributes, List.of("session_key", "name"),
        List.of("session_key", "name", "attr_value"));
  }

  /**
   * (access, access, expires, expires[, user], key, now): moves the live session's times to the
   * later of stored and given, taking its row lock; 0 rows when the session is gone or expired.
   */
  public String touch(boolean bindUser) {
    return "UPDATE " + sessions + " SET"
        + " last_access = CASE WHEN last_access < ? THEN ? ELSE last_access END,"
        + " expires_at = CASE WHEN expires_at < ? THEN ? ELSE expires_at END"
        + (bindUser ? ", user_id = ?" : "")
        + " WHERE session_key = ? AND expires_at > ?";
  }

  /**
   * The whole delta as one statement, where the database can (else {@code null}): {@link
   * #touch}'s parameters, then {@code changed} (name, value) pairs, then {@code removed} names;
   * returns one row holding 1 if the session was live and the delta applied, 0 if it was gone and
   * nothing was written. The attribute writes join the updated row, so they happen only if it
   * matched, and under its lock.
   */
  public String deltaInOneStatement(boolean bindUser, int changed, int removed) {
    if (!dialect.modifiesInWith()) {
      return null;
    }
    StringBuilder statement = new StringBuilder("WITH s AS (")
        .append(touch(bindUser)).append(" RETURNING session_key)");
    if (changed > 0) {
      statement.append(", c AS (INSERT INTO ").append(attributes)
          .append(" (session_key, name, attr_value) SELECT s.session_key, v.name, v.attr_value")
          .append(" FROM s CROSS JOIN (VALUES ")
          .append(String.join(", ", Collections.nCopies(changed, "(?::bytea, ?::bytea)")))
          .append(") AS v (name, attr_value) ON CONFLICT (session_key, name) DO UPDATE SET")
          .append(" attr_value = EXCLUDED.attr_value)");
    }
    if (removed > 0) {
      statement.append(", r AS (DELETE FROM ").append(attributes)
          .append(" WHERE session_key IN (SELECT session_key FROM s) AND name IN (")
          .append(String.join(", ", Collections.nCopies(removed, "?::bytea")))
          .append("))");
    }
    return statement.append(" SELECT COUNT(*) FROM s").toString();
  }

  /** (key, name): removes one attribute. */
  public String deleteAttribute() {
    return "DELETE FROM " + attributes + " WHERE session_key = ? AND name = ?";
  }

  /** (key): removes every attribute of a session. */
  public String deleteAttributes() {
    return "DELETE FROM " + attributes + " WHERE session_key = ?";
  }

  /** (key…): removes every attribute of {@code count} sessions. */
  public String deleteAttributes(int count) {
    return "DELETE FROM " + attributes + " WHERE session_key IN ("
        + Dialect.placeholders(count) + ")";
  }

  /** (key): removes the session row. */
  public String deleteSession() {
    return "DELETE FROM " + sessions + " WHERE session_key = ?";
  }

  /** (key…): removes {@code count} session rows. */
  public String deleteSessions(int count) {
    return "DELETE FROM " + sessions + " WHERE session_key IN (" + Dialect.placeholders(count)
        + ")";
  }

  /** (user) → session_key, expires_at of the user's sessions, locked. */
  public String lockSessionsOf() {
    return "SELECT session_key, expires_at FROM " + sessions + " WHERE user_id = ?"
        + dialect.forUpdate();
  }

  /**
   * (now, limit) → session_key of at most limit expired sessions, locked, skipping those another
   * purging node holds (where the database can).
   */
  public String lockExpiredBatch() {
    return "SELECT session_key FROM " + sessions + " WHERE expires_at <= ?"
        + " ORDER BY expires_at LIMIT ?" + dialect.forUpdateSkipLocked();
  }
}
