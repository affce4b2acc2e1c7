package dev.hoard.servlet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the cache does with one request given what it has stored, decided without a server: serve
 * the stored response, serve it stale (and maybe refresh it in the background), revalidate it with
 * conditional headers, forward the request, or answer {@code 504} to {@code only-if-cached}
 * (RFC 9111 §4, §5.2.1). Immutable; {@link #decide} is a pure function of its arguments.
 */
final class CacheStrategy {

  /** What to do with the request. */
  public enum Action {
    /** Answer from the stored response, fresh ({@code X-Cache: HIT}). */
    SERVE,
    /** Answer from the stored response, stale but allowed ({@code X-Cache: STALE}). */
    SERVE_STALE,
    /** Answer stale now and refresh the stored response from the origin afterwards. */
    SERVE_STALE_AND_REVALIDATE,
    /** Ask the origin with {@link #conditions()}; a {@code 304} refreshes the stored response. */
    REVALIDATE,
    /** Nothing usable is stored: ask the origin. */
    FORWARD,
    /** The client asked for {@code only-if-cached} and nothing usable is stored. */
    GATEWAY_TIMEOUT
  }

  private final Action action;
  private final CachedResponse stored;

  private CacheStrategy(Action action, CachedResponse stored) {
    this.action = action;
    this.stored = stored;
  }

  /**
   * Decides for a {@code GET} (or, with {@code head}, a {@code HEAD}, which never revalidates in
   * the background) with the client's directives {@code asked}, the stored response or {@code
   * null}, at {@code now} (epoch millis).
   */
  public static CacheStrategy decide(boolean head, CacheControl asked, CachedResponse stored,
      long now) {
    Action action = stored == null ? Action.FORWARD : usability(asked, stored, now);
    boolean onlyIfCached = asked.has("only-if-cached");
    if (onlyIfCached && (action == Action.FORWARD || action == Action.REVALIDATE)) {
      action = Action.GATEWAY_TIMEOUT;
    } else if (action == Action.SERVE_STALE_AND_REVALIDATE && (head || onlyIfCached)) {
      action = Action.SERVE_STALE;
    }
    return new CacheStrategy(action, stored);
  }

  /** Whether the stored response may answer this request as it is (RFC 9111 §4.2, §5.2.1). */
  private static Action usability(CacheControl asked, CachedResponse stored, long now) {
    long age = stored.age(now);
    long maxAge = asked.seconds("max-age");
    long minFresh = asked.seconds("min-fresh");
    boolean validate = stored.requiresValidation() || asked.has("no-cache")
        || maxAge == 0 || maxAge > 0 && age > maxAge * 1000
        || minFresh > 0 && stored.lifetime() - age < minFresh * 1000;
    if (validate) {
      return Action.REVALIDATE;
    }
    if (stored.isFresh(now)) {
      return Action.SERVE;
    }
    if (asked.has("max-stale") && !stored.mustRevalidate()
        && (asked.hasBare("max-stale") || stored.staleness(now) <= asked.seconds("max-stale") * 1000)) {
      return Action.SERVE_STALE;
    }
    return stored.servableWhileRevalidating(now)
        ? Action.SERVE_STALE_AND_REVALIDATE : Action.REVALIDATE;
  }

  /** What to do. */
  public Action action() {
    return action;
  }

  /** The stored response this decision is about, or {@code null} when none was stored. */
  public CachedResponse stored() {
    return stored;
  }

  /** Whether the stored response, and not the origin, answers the client now. */
  public boolean servesStored() {
    return action == Action.SERVE || action == Action.SERVE_STALE
        || action == Action.SERVE_STALE_AND_REVALIDATE;
  }

  /**
   * The request headers that make a request to the origin conditional on the stored response
   * (RFC 9111 §4.3.1), lower-case names: {@code if-none-match} with the origin's entity tag and
   * {@code if-modified-since} with its {@code Last-Modified}, when it gave them; empty when
   * nothing is stored.
   */
  public Map<String, String> conditions() {
    return conditions(stored);
  }

  /** {@link #conditions()} for a given stored response. */
  public static Map<String, String> conditions(CachedResponse stored) {
    Map<String, String> conditions = new LinkedHashMap<>();
    if (stored == null) {
      return conditions;
    }
    if (!stored.etagGenerated() && stored.etag() != null) {
      conditions.put("if-none-match", stored.etag());
    }
    String lastModified = stored.header("Last-Modified");
    if (lastModified != null) {
      conditions.put("if-modified-since", lastModified);
    }
    return conditions;
  }

  /**
   * Whether {@code stale} may answer instead of the origin's failure at {@code now}: a server
   * error ({@code status} 5xx) within {@code stale-if-error}, or — when the policy allows it and
   * the response does not forbid it — an origin that cannot be reached ({@code status} -1 when it
   * threw, or the 502 and 504 a gateway answers for an unreachable origin; RFC 9111 §4.2.4).
   */
  public static boolean servesStaleOnFailure(CachedResponse stale, int status, long now,
      CachePolicy policy) {
    if (stale == null) {
      return false;
    }
    if (status >= 500 && stale.servableOnError(now)) {
      return true;
    }
    boolean unreachable = status < 0 || status == 502 || status == 504;
    return unreachable && policy.staleWhenOriginFails() && stale.servableWhenOriginUnreachable();
  }

  @Override
  public String toString() {
    return "CacheStrategy[" + action + "]";
  }
}
