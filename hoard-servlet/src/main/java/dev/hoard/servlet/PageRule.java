package dev.hoard.servlet;

import dev.hoard.cache.spi.Glob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ResponseCacheFilter} caches the pages under a path, whatever the application's
 * headers say about freshness — the page cache of {@code cache_page}: {@code
 * PageRule.path("/api/products/*").ttl(Duration.ofMinutes(5)).vary("Accept-Language")}.
 *
 * <p>A rule's TTL is this cache's freshness for the responses it matches, in place of their
 * {@code Cache-Control} and {@code Expires} (browsers still see those); a response that says
 * {@code no-store} or {@code private}, sets a cookie, or carries its own {@code
 * Hoard-Cache-Control} is left as it is. Its vary headers are added to the response's {@code
 * Vary}. Immutable: each method returns a new rule.
 */
public final class PageRule {

  private final String pattern;
  private final Glob glob;
  private final Duration ttl;
  private final List<String> vary;

  private PageRule(String pattern, Duration ttl, List<String> vary) {
    this.pattern = pattern;
    this.glob = Glob.of(pattern);
    this.ttl = ttl;
    this.vary = List.copyOf(vary);
  }

  /**
   * A rule for the paths (below the context path) that match {@code glob}, e.g. {@code
   * /api/products/*}; it does nothing until given a {@link #ttl} or {@link #vary} headers.
   */
  public static PageRule path(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("PageRule.path: the pattern is empty; use e.g. /*");
    }
    return new PageRule(glob, null, List.of());
  }

  /** This rule with the freshness lifetime {@code ttl} (positive) for the pages it matches. */
  public PageRule ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero() || ttl.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("PageRule.ttl must be positive and at most 2^31 s, was "
          + ttl);
    }
    return new PageRule(pattern, ttl, vary);
  }

  /** This rule also keeping a variant per value of each of these request headers. */
  public PageRule vary(String... headerNames) {
    List<String> names = new ArrayList<>(vary);
    for (String name : headerNames) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("PageRule.vary: a header name is blank");
      }
      names.add(name.trim());
    }
    return new PageRule(pattern, ttl, names);
  }

  /** The path pattern. */
  public String pattern() {
    return pattern;
  }

  /** The TTL, or {@code null} when the rule leaves freshness to the response. */
  public Duration ttl() {
    return ttl;
  }

  /** The request headers the matched pages vary on. */
  public List<String> vary() {
    return vary;
  }

  /** Whether this rule applies to {@code path}. */
  public boolean matches(String path) {
    return glob.matches(path);
  }

  @Override
  public String toString() {
    return "PageRule[" + pattern + ", ttl=" + ttl + ", vary=" + vary + "]";
  }
}
