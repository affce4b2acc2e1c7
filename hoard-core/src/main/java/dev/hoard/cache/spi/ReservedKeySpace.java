package dev.hoard.cache.spi;

import java.util.Objects;

/**
 * The key spaces Hoard keeps apart on a shared server: caches, sessions and rate-limit counters
 * each live under their own default prefix, and none of those prefixes contains another, so
 * clearing a cache can never delete a session or reset a rate limit.
 *
 * <p>Every store that puts a prefix before its keys (Redis, Memcached) takes it from {@link
 * #prefixIn(StoreUrl)}, which applies the default of the space the store is opened for and refuses
 * a prefix that contains, or lies inside, another space's default. Locks live inside the space of
 * what they lock ({@code remember} locks in their cache's keys, session locks in the sessions').
 * A SQL cache store takes its table from {@link #tableIn(StoreUrl)} the same way (SQL sessions
 * have tables of their own, {@code hoard_sessions}); a file store keeps its data in the directory
 * it is given, which two kinds of data must not share.
 */
public enum ReservedKeySpace {

  /** Cache entries, with their tag tokens and {@code remember} locks: {@code hoard:c:}. */
  CACHE("hoard:c:", "hoard_cache", "caches"),

  /** Sessions, their user indexes, locks and cookie-session revocations: {@code hoard:s:}. */
  SESSIONS("hoard:s:", "hoard_session_entries", "sessions"),

  /** The counters of {@link dev.hoard.ratelimit.RateLimiter}s: {@code hoard:rl:}. */
  RATE_LIMITS("hoard:rl:", "hoard_rate_limits", "rate-limit counters");

  private final String defaultPrefix;
  private final String defaultTable;
  private final String holds;

  ReservedKeySpace(String defaultPrefix, String defaultTable, String holds) {
    this.defaultPrefix = defaultPrefix;
    this.defaultTable = defaultTable;
    this.holds = holds;
  }

  /** The prefix a store opened for this space puts before its keys unless told otherwise. */
  public String defaultPrefix() {
    return defaultPrefix;
  }

  /**
   * The {@code prefix} parameter of {@code url}, taken and checked with {@link #checkPrefix}, or
   * this space's default when the URL has none.
   *
   * @throws IllegalArgumentException if the prefix overlaps another of Hoard's key spaces
   */
  public String prefixIn(StoreUrl url) {
    return url.take("prefix").map(prefix -> checkPrefix(prefix, url)).orElse(defaultPrefix);
  }

  /** The table a SQL cache store opened for this space uses unless told otherwise. */
  public String defaultTable() {
    return defaultTable;
  }

  /**
   * The {@code table} parameter of {@code url}, taken and checked to be no other space's default
   * table, or this space's default table when the URL has none.
   *
   * @throws IllegalArgumentException naming both uses of the table and what to do
   */
  public String tableIn(StoreUrl url) {
    return url.take("table").map(table -> {
      for (ReservedKeySpace other : values()) {
        if (other != this && other.defaultTable.equalsIgnoreCase(table)) {
          throw new IllegalArgumentException(
              "table '" + table + "' for " + holds + " is where Hoard keeps " + other.holds
                  + " by default: clearing either would delete the other; leave the table out ("
                  + holds + " then use '" + defaultTable + "') or choose another in " + url);
        }
      }
      return table;
    }).orElse(defaultTable);
  }

  /**
   * Returns {@code prefix} if data of this space may live under it: it must not contain the
   * default prefix of another space (a {@code clear()} under it would delete that data), nor lie
   * inside one (that space's {@code clear()} would delete this data).
   *
   * @param where the URL or store the prefix is for, named in the error
   * @throws IllegalArgumentException naming both prefixes and what to choose instead
   */
  public String checkPrefix(String prefix, Object where) {
    Objects.requireNonNull(prefix, "prefix");
    for (ReservedKeySpace other : values()) {
      if (other == this) {
        continue;
      }
      String theirs = other.defaultPrefix;
      if (theirs.startsWith(prefix)) {
        throw new IllegalArgumentException(
            "prefix '" + prefix + "' for " + holds + " contains '" + theirs + "', where Hoard keeps "
                + other.holds + " by default: clearing the " + holds + " would delete the "
                + other.holds + "; leave the prefix out (" + holds + " then use '" + defaultPrefix
                + "') or choose one such as '" + suggestion() + "' in " + where);
      }
      if (prefix.startsWith(theirs)) {
        throw new IllegalArgumentException(
            "prefix '" + prefix + "' for " + holds + " lies inside '" + theirs + "', where Hoard"
                + " keeps " + other.holds + " by default: clearing the " + other.holds
                + " would delete these " + holds + "; leave the prefix out (" + holds
                + " then use '" + defaultPrefix + "') or choose one such as '" + suggestion()
                + "' in " + where);
      }
    }
    return prefix;
  }

  private String suggestion() {
    return "app" + defaultPrefix.substring("hoard".length());
  }
}
