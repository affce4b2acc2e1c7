package dev.hoard.servlet.internal.cache;

import java.util.List;
import java.util.Set;

/**
 * What a shared cache may store and for how long, by RFC 9111 §3 (storing), §3.5 (requests with
 * credentials) and §4.2 (freshness). Immutable; built from the filter's configuration.
 */
public final class CachePolicy {

  /** The statuses RFC 9110 §15.1 calls heuristically cacheable (206 is left out: no range support). */
  public static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  private static final double HEURISTIC_FRACTION = 0.1;

  private final Set<Integer> storableStatuses;
  private final long heuristicMaximumMillis;
  private final long staleRetentionMillis;
  private final boolean storeWithCredentials;

  /**
   * A policy for a shared cache.
   *
   * @param storableStatuses the statuses that may be stored at all; those outside {@link
   *     #HEURISTICALLY_CACHEABLE} need explicit freshness
   * @param heuristicMaximumMillis the cap on heuristic freshness
   * @param staleRetentionMillis how long a stale response with a validator is kept for revalidation
   * @param storeWithCredentials whether responses to requests with credentials may be stored when
   *     the response allows it explicitly
   */
  public CachePolicy(Set<Integer> storableStatuses, long heuristicMaximumMillis,
      long staleRetentionMillis, boolean storeWithCredentials) {
    this.storableStatuses = Set.copyOf(storableStatuses);
    this.heuristicMaximumMillis = heuristicMaximumMillis;
    this.staleRetentionMillis = staleRetentionMillis;
    this.storeWithCredentials = storeWithCredentials;
  }

  /** Whether requests that carry credentials go through the cache at all. */
  public boolean storesWithCredentials() {
    return storeWithCredentials;
  }

  /** How long a stale response that can be revalidated is kept. */
  public long staleRetentionMillis() {
    return staleRetentionMillis;
  }

  /**
   * Whether a shared cache may store this response to a GET (RFC 9111 §3): a storable status, no
   * {@code no-store}, no unqualified {@code private}, no cookie set, no {@code Vary: *}, and either
   * explicit freshness, {@code public} or a heuristically cacheable status. With credentials on the
   * request it also needs {@code public}, {@code s-maxage} or {@code must-revalidate} (§3.5).
   */
  public boolean storable(int status, List<Header> headers, boolean setsCookies,
      boolean credentials) {
    if (!storableStatuses.contains(status) || setsCookies
        || Header.contains(headers, "Set-Cookie") || Header.contains(headers, "Content-Range")) {
      return false;
    }
    CacheControl cc = CacheControl.parse(Header.all(headers, "Cache-Control"));
    if (cc.has("no-store") || cc.hasBare("private")) {
      return false;
    }
    if (Header.elements(headers, "Vary").contains("*")) {
      return false;
    }
    if (credentials && !(storeWithCredentials
        && (cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate")))) {
      return false;
    }
    boolean explicit = cc.has("s-maxage") || cc.has("max-age") || Header.contains(headers, "Expires");
    return explicit || cc.has("public") || HEURISTICALLY_CACHEABLE.contains(status);
  }

  /**
   * The freshness lifetime in milliseconds (RFC 9111 §4.2.1): {@code s-maxage}, else {@code
   * max-age}, else {@code Expires} minus {@code Date}, else — only for heuristically cacheable
   * statuses or {@code public} responses, as §4.2.2 allows — 10% of the time since {@code
   * Last-Modified}, capped; else 0.
   */
  public long lifetime(int status, List<Header> headers, long responseTime) {
    CacheControl cc = CacheControl.parse(Header.all(headers, "Cache-Control"));
    long sharedMaxAge = cc.seconds("s-maxage");
    if (sharedMaxAge >= 0) {
      return sharedMaxAge * 1000;
    }
    long maxAge = cc.seconds("max-age");
    if (maxAge >= 0) {
      return maxAge * 1000;
    }
    long date = HttpDates.parse(Header.first(headers, "Date"));
    if (date < 0) {
      date = responseTime;
    }
    String expires = Header.first(headers, "Expires");
    if (expires != null) {
      long expiresAt = HttpDates.parse(expires);
      return expiresAt < 0 ? 0 : Math.max(0, expiresAt - date);
    }
    if (HEURISTICALLY_CACHEABLE.contains(status) || cc.has("public")) {
      long lastModified = HttpDates.parse(Header.first(headers, "Last-Modified"));
      if (lastModified >= 0 && date > lastModified) {
        return Math.min((long) ((date - lastModified) * HEURISTIC_FRACTION), heuristicMaximumMillis);
      }
    }
    return 0;
  }
}
