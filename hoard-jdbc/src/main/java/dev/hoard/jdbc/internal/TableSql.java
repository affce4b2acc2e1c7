package dev.hoard.jdbc.internal;

import java.util.Collections;
import java.util.List;

/**
 * Every statement the JDBC store runs against one table, built once from its {@link Dialect}.
 * The table name is the only text spliced in, and it is checked to be a plain identifier first;
 * keys, values and times always travel as parameters.
 */
public final class TableSql {

  /** Longest table name accepted: leaves room for the index suffix within PostgreSQL's 63. */
  public static final int MAX_TABLE_NAME = 48;

  private final String table;
  private final Dialect dialect;

  private TableSql(Dialect dialect, String table) {
    this.dialect = dialect;
    this.table = table;
  }

  /**
   * The statements for {@code table}.
   *
   * @throws IllegalArgumentException naming the table when it is not a plain SQL identifier
   */
  public static TableSql of(Dialect dialect, String table) {
    return new TableSql(dialect, checkTableName(table, MAX_TABLE_NAME));
  }

  /**
   * Returns {@code table} if it is a plain SQL identifier of at most {@code maxLength} characters,
   * the only form of text any store splices into SQL.
   *
   * @throws IllegalArgumentException naming the table otherwise
   */
  public static String checkTableName(String table, int maxLength) {
    if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]*") || table.length() > maxLength) {
      throw new IllegalArgumentException(
          "table name '" + table + "' is not a plain SQL identifier: use letters, digits and _,"
              + " starting with a letter or _, at most " + maxLength + " characters");
    }
    return table;
  }

  /** The table name. */
  public String table() {
    return table;
  }

  /** Creates the table and its expiry index when absent. */
  public List<String> createTable() {
    return dialect.createTable(table);
  }

  /** Reads nothing but fails when the table or one of its columns is missing. */
  public String probeTable() {
    return "SELECT key_hash, cache_key, cache_value, expires_at FROM " + table + " WHERE 1 = 0";
  }

  /** (hash, now) → the live value. */
  public String selectValue() {
    return "SELECT cache_value FROM " + table + " WHERE key_hash = ? AND expires_at > ?";
  }

  /** (now, hash…) → key_hash, cache_value of the live entries among {@code count} hashes. */
  public String selectValues(int count) {
    return "SELECT key_hash, cache_value FROM " + table + " WHERE expires_at > ? AND key_hash IN ("
        + placeholders(count) + ")";
  }

  /** (hash, now) → the expiry of the live entry. */
  public String selectExpiry() {
    return "SELECT expires_at FROM " + table + " WHERE key_hash = ? AND expires_at > ?";
  }

  /** (hash) → cache_value, expires_at of the row, locked until the transaction ends. */
  public String selectForUpdate() {
    return "SELECT cache_value, expires_at FROM " + table + " WHERE key_hash = ?"
        + dialect.forUpdate();
  }

  /** See {@link Dialect#incrementInOneStatement}; {@code null} when the dialect has none. */
  public String incrementInOneStatement() {
    return dialect.incrementInOneStatement(table);
  }

  /** (hash, key, value, expiresAt): insert or replace. */
  public String upsert() {
    return dialect.upsert(table);
  }

  /** (hash, key, value, expiresAt): insert counting 0 rows or failing when present. */
  public String insertIfAbsent() {
    return dialect.insertIfAbsent(table);
  }

  /** (value, expiresAt, hash): overwrite of a row the transaction holds. */
  public String updateValueAndExpiry() {
    return "UPDATE " + table + " SET cache_value = ?, expires_at = ? WHERE key_hash = ?";
  }

  /** (expiresAt, hash, now): new expiry for a live entry. */
  public String touch() {
    return "UPDATE " + table + " SET expires_at = ? WHERE key_hash = ? AND expires_at > ?";
  }

  /** (hash, now): removes the entry if live. */
  public String deleteLive() {
    return "DELETE FROM " + table + " WHERE key_hash = ? AND expires_at > ?";
  }

  /** (now, hash…): removes the live entries among {@code count} hashes. */
  public String deleteLive(int count) {
    return "DELETE FROM " + table + " WHERE expires_at > ? AND key_hash IN ("
        + placeholders(count) + ")";
  }

  /** (hash, now): removes the entry if expired, so an insert can take its place. */
  public String deleteExpired() {
    return "DELETE FROM " + table + " WHERE key_hash = ? AND expires_at <= ?";
  }

  /** (now): the number of live rows, read through the index on expires_at. */
  public String countLive() {
    return "SELECT count(*) FROM " + table + " WHERE expires_at > ?";
  }

  /** (now, limit): removes at most limit expired rows. */
  public String purgeBatch() {
    return dialect.purgeBatch(table);
  }

  /** Removes every row. */
  public String deleteAll() {
    return "DELETE FROM " + table;
  }

  /**
   * (like, now[, after], limit) → key_hash, cache_key of live entries whose key is LIKE the
   * pattern, in key_hash order, after the given hash when {@code afterHash}.
   */
  public String scanPage(boolean afterHash) {
    return "SELECT key_hash, cache_key FROM " + table + " WHERE cache_key LIKE ?"
        + dialect.likeEscape() + " AND expires_at > ?" + (afterHash ? " AND key_hash > ?" : "")
        + " ORDER BY key_hash LIMIT ?";
  }

  private static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
