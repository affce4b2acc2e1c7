package dev.hoard.servlet;

import java.util.List;
import java.util.Set;

/**
 * What a shared cache may store and for how long, by RFC 9111 §3 (storing), §3.5 (requests with
 * credentials) and §4.2 (freshness), and RFC 9213 (targeted cache control). Immutable; built from
 * the filter's configuration.
 */
final class CachePolicy {

  /** The statuses RFC 9110 §15.1 calls heuristically cacheable (206 is left out: parts are not stored). */
  public static final Set<Integer> HEURISTICALLY_CACHEABLE =
      Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  /** The field this cache obeys before any other targeted field; page rules write it too. */
  public static final String OWN_TARGETED_FIELD = "Hoard-Cache-Control";

  /** The statuses whose semantics this cache implements, for {@code must-understand} (RFC 9111 §5.2.2.3). */
  private static final Set<Integer> UNDERSTOOD = Set.of(200, 203, 204, 300, 301, 302, 303, 307,
      308, 404, 405, 410, 414, 501);

  private static final double HEURISTIC_FRACTION = 0.1;

  private final Set<Integer> heuristicStatuses;
  private final long heuristicMaximumMillis;
  private final long staleRetentionMillis;
  private final boolean storeWithCredentials;
  private final List<String> targetedFields;
  private final boolean staleWhenOriginFails;

  /**
   * A policy for a shared cache that obeys {@value #OWN_TARGETED_FIELD} and {@code
   * CDN-Cache-Control} and serves stale responses when the origin cannot be reached.
   */
  public CachePolicy(Set<Integer> heuristicStatuses, long heuristicMaximumMillis,
      long staleRetentionMillis, boolean storeWithCredentials) {
    this(heuristicStatuses, heuristicMaximumMillis, staleRetentionMillis, storeWithCredentials,
        List.of(OWN_TARGETED_FIELD, "CDN-Cache-Control"), true);
  }

  /**
   * A policy for a shared cache.
   *
   * @param heuristicStatuses the statuses that may be stored without explicit freshness (with
   *     heuristic freshness or {@code public}); any other final status but 206 and 304 needs
   *     explicit freshness ({@code max-age}, {@code s-maxage}, {@code Expires})
   * @param heuristicMaximumMillis the cap on heuristic freshness
   * @param staleRetentionMillis how long a stale response is kept for revalidation or for
   *     answering when the origin fails
   * @param storeWithCredentials whether responses to requests with credentials may be stored when
   *     the response allows it explicitly
   * @param targetedFields the targeted cache-control fields this cache obeys, in order (RFC 9213)
   * @param staleWhenOriginFails whether a stale response may answer when the origin cannot be
   *     reached (RFC 9111 §4.2.4), unless its directives forbid it
   */
  public CachePolicy(Set<Integer> heuristicStatuses, long heuristicMaximumMillis,
      long staleRetentionMillis, boolean storeWithCredentials, List<String> targetedFields,
      boolean staleWhenOriginFails) {
    this.heuristicStatuses = Set.copyOf(heuristicStatuses);
    this.heuristicMaximumMillis = heuristicMaximumMillis;
    this.staleRetentionMillis = staleRetentionMillis;
    this.storeWithCredentials = storeWithCredentials;
    this.targetedFields = List.copyOf(targetedFields);
    this.staleWhenOriginFails = staleWhenOriginFails;
  }

  /** Whether requests that carry credentials go through the cache at all. */
  public boolean storesWithCredentials() {
    return storeWithCredentials;
  }

  /** How long a stale response that can be revalidated is kept. */
  public long staleRetentionMillis() {
    return staleRetentionMillis;
  }

  /** Whether a stale response may answer when the origin cannot be reached. */
  public boolean staleWhenOriginFails() {
    return staleWhenOriginFails;
  }

  /** Whether {@code status} may be stored without explicit freshness (the configured list). */
  public boolean storableHeuristically(int status) {
    return heuristicStatuses.contains(status);
  }

  /** The targeted fields this cache obeys, in order; never sent downstream. */
  public List<String> targetedFields() {
    return targetedFields;
  }

  /**
   * The directives this cache obeys for a response: those of the first targeted field with a
   * valid, non-empty value (RFC 9213 §2.1), else {@code Cache-Control}.
   */
  public CacheControl directives(List<Header> headers) {
    CacheControl targeted = targeted(headers);
    return targeted != null ? targeted : CacheControl.parse(Header.all(headers, "Cache-Control"));
  }

  private CacheControl targeted(List<Header> headers) {
    for (String field : targetedFields) {
      List<String> values = Header.all(headers, field);
      if (!values.isEmpty()) {
        CacheControl directives = CacheControl.parse(values);
        if (!directives.isEmpty()) {
          return directives;
        }
      }
    }
    return null;
  }

  /**
   * Whether the response carries explicit freshness for this cache: {@code s-maxage} or {@code
   * max-age} in the directives it obeys, or — unless a targeted field applies, which overrides it
   * — an {@code Expires}.
   */
  public boolean hasExplicitFreshness(List<Header> headers) {
    CacheControl targeted = targeted(headers);
    if (targeted != null) {
      return targeted.has("s-maxage") || targeted.has("max-age");
    }
    CacheControl cc = CacheControl.parse(Header.all(headers, "Cache-Control"));
    return cc.has("s-maxage") || cc.has("max-age") || Header.contains(headers, "Expires");
  }

  /**
   * Whether a shared cache may store this response to a GET (RFC 9111 §3): a final status other
   * than 206 and 304, no {@code no-store}, no unqualified {@code private}, no cookie set, no {@code
   * Vary: *}, and either explicit freshness, or {@code public} or a heuristically cacheable
   * status. With credentials on the request it also needs {@code public}, {@code s-maxage} or
   * {@code must-revalidate} (§3.5).
   */
  public boolean storable(int status, List<Header> headers, boolean setsCookies,
      boolean credentials) {
    if (status < 200 || status > 599 || status == 206 || status == 304 || setsCookies
        || Header.contains(headers, "Set-Cookie") || Header.contains(headers, "Content-Range")) {
      return false;
    }
    CacheControl cc = directives(headers);
    boolean understood = cc.has("must-understand") && UNDERSTOOD.contains(status);
    if (cc.has("must-understand") && !understood
        || cc.has("no-store") && !understood || cc.hasBare("private")) {
      return false;
    }
    if (Header.elements(headers, "Vary").contains("*")) {
      return false;
    }
    if (credentials && !(storeWithCredentials
        && (cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate")))) {
      return false;
    }
    return hasExplicitFreshness(headers)
        || heuristicStatuses.contains(status) && (cc.has("public")
            || HEURISTICALLY_CACHEABLE.contains(status));
  }

  /**
   * The freshness lifetime in milliseconds (RFC 9111 §4.2.1): {@code s-maxage}, else {@code
   * max-age}, else {@code Expires} minus {@code Date} (0 when {@code Expires} is invalid or sent
   * more than once), else — only for heuristically cacheable statuses or {@code public}
   * responses, as §4.2.2 allows — 10% of the time since {@code Last-Modified}, capped; else 0.
   */
  public long lifetime(int status, List<Header> headers, long responseTime) {
    CacheControl targeted = targeted(headers);
    CacheControl cc = targeted != null ? targeted
        : CacheControl.parse(Header.all(headers, "Cache-Control"));
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
    List<String> expires = targeted != null ? List.of() : Header.all(headers, "Expires");
    if (!expires.isEmpty()) {
      long expiresAt = expires.size() == 1 ? HttpDates.parse(expires.get(0)) : -1;
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
