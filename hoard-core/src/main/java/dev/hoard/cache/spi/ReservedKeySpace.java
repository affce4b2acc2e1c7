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
 * SQL stores keep caches and sessions in different tables; a file store in the directory it is
 * given, which two kinds of data must not share.
 */
public enum ReservedKeySpace {

  /** Cache entries, with their tag tokens and {@code remember} locks: {@code hoard:c:}. */
  CACHE("hoard:c:", "caches"),

  /** Sessions, their user indexes, locks and cookie-session revocations: {@code hoard:s:}. */
  SESSIONS("hoard:s:", "sessions"),

  /** The counters of {@link dev.hoard.ratelimit.RateLimiter}s: {@code hoard:rl:}. */
  RATE_LIMITS("hoard:rl:", "rate-limit counters");

  private final String defaultPrefix;
  private final String holds;

  ReservedKeySpace(String defaultPrefix, String holds) {
    this.defaultPrefix = defaultPrefix;
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
