package dev.hoard.servlet;

import dev.hoard.servlet.ResponseCapture.Mode;
import dev.hoard.servlet.ResponseStore.Lookup;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A request the cache sends to the origin — to fill a miss or to revalidate a stored response —
 * and what the cache makes of the answer. Written once for the client's own fetch and for the
 * revalidation that follows a stale answer: the rules for storing, refreshing from a {@code 304},
 * falling back to the stale response on an error and dropping an obsolete one are the same.
 */
final class OriginFetch {

  /** What became of the origin's answer. */
  public enum Outcome {
    /** A new response was stored: {@link Settled#response()} is it. */
    STORED,
    /** A {@code 304} refreshed the stored response: {@link Settled#response()} is the refreshed one. */
    REFRESHED,
    /** The origin failed and the stale response may answer instead: {@link Settled#response()}. */
    ORIGIN_FAILED,
    /** The answer was kept for the cache but turned out not storable: hand it to the client as it is. */
    NOT_KEPT,
    /** The answer went (or goes) to the client as it is; nothing was stored. */
    PASSED
  }

  /**
   * What became of the origin's answer.
   *
   * @param outcome what happened
   * @param response the response to answer with, for the outcomes that name one; else {@code null}
   */
  public record Settled(Outcome outcome, CachedResponse response) {}

  /**
   * What every fetch of one filter shares.
   *
   * @param store where responses go
   * @param policy what may be stored
   * @param clock the time
   * @param maximumBodySize the largest body kept
   * @param condition the application's last word on storing a response (request, response)
   */
  public record Settings(ResponseStore store, CachePolicy policy, Clock clock,
      int maximumBodySize, BiPredicate<HttpServletRequest, HttpServletResponse> condition) {}

  private final ResponseStore store;
  private final CachePolicy policy;
  private final Clock clock;
  private final Settings settings;
  private final String primary;
  private final Lookup found;
  private final HttpServletRequest request;
  private final boolean credentials;
  private final PageDefaults page;
  private final long requestTime;
  private ResponseCapture capture;

  /**
   * A fetch for {@code request}, whose URL has primary key {@code primary} and whose stored
   * response (or miss) is {@code found}, with the page defaults of its path, sent now.
   */
  public OriginFetch(Settings settings, String primary, Lookup found, HttpServletRequest request,
      boolean credentials, PageDefaults page) {
    this.settings = settings;
    this.store = settings.store();
    this.policy = settings.policy();
    this.clock = settings.clock();
    this.primary = primary;
    this.found = found;
    this.request = request;
    this.credentials = credentials;
    this.page = page;
    this.requestTime = clock.millis();
  }

  /** The capture the origin answers into, in front of the client's response. */
  public ResponseCapture capture(HttpServletResponse client) {
    capture = ResponseCapture.of(client, this::decide, settings.maximumBodySize());
    return capture;
  }

  /** A capture that never reaches {@code client}, already answered (a background refresh). */
  public ResponseCapture detachedCapture(HttpServletResponse client) {
    capture = ResponseCapture.detached(client, this::decide, settings.maximumBodySize());
    return capture;
  }

  /** The stored response this fetch revalidates, or {@code null} when it fills a miss. */
  public CachedResponse stale() {
    return found.response();
  }

  /**
   * How a capture should treat the origin's answer once its status and headers are known: absorb a
   * {@code 304} for a stored response, and a failure when the stored response may be served
   * instead ({@link CacheStrategy#servesStaleOnFailure}); keep what may be stored; pass the rest through.
   */
  private Mode decide(int status, List<Header> origin, boolean setsCookies, long declaredLength) {
    List<Header> headers = page.applyTo(status, origin, policy);
    CachedResponse stale = found.response();
    if (stale != null && status == HttpServletResponse.SC_NOT_MODIFIED) {
      return Mode.ABSORB;
    }
    if (CacheStrategy.servesStaleOnFailure(stale, status, clock.millis(), policy)) {
      return Mode.ABSORB;
    }
    if (!policy.storable(status, headers, setsCookies, credentials)
        || !settings.condition().test(request, capture)) {
      return Mode.PASS;
    }
    long now = clock.millis();
    CachedResponse probe = CachedResponse.of(status, headers, new byte[0], 0, requestTime, now,
        policy);
    // A body-less probe has a computed ETag, so only an origin validator counts here.
    return probe.retention(now, policy) > 0 ? Mode.STORE : Mode.PASS;
  }

  /**
   * Settles the origin's finished answer: stores a new response or the refresh from a {@code
   * 304}, or deletes the stored response that a non-error answer made obsolete.
   */
  public Settled settle() {
    capture.finish();
    long now = clock.millis();
    CachedResponse stale = found.response();
    int status = capture.getStatus();
    List<Header> headers = page.applyTo(status, capture.headers(), policy);
    switch (capture.mode()) {
      case ABSORB -> {
        if (stale != null && status == HttpServletResponse.SC_NOT_MODIFIED) {
          CachedResponse refreshed = stale.refreshedBy(headers, requestTime, now, policy);
          store.store(primary, found, request, refreshed, now);
          return new Settled(Outcome.REFRESHED, refreshed);
        }
        if (status >= 500) {
          return new Settled(Outcome.ORIGIN_FAILED, stale);
        }
        // Detached from any client: a newer answer not kept (not storable, too big).
        dropObsolete(status);
        return new Settled(Outcome.PASSED, null);
      }
      case STORE -> {
        // The origin may change status or headers after the body began: check again.
        if (!policy.storable(status, headers, capture.setsCookies(), credentials)) {
          dropObsolete(status);
          return new Settled(Outcome.NOT_KEPT, null);
        }
        CachedResponse fetched = CachedResponse.of(status, headers,
            capture.bodyArray(), capture.bodyLength(), requestTime, now, policy);
        store.store(primary, found, request, fetched, now);
        return new Settled(Outcome.STORED, fetched);
      }
      default -> {
        dropObsolete(status);
        return new Settled(Outcome.PASSED, null);
      }
    }
  }

  /** A newer answer that is not an error replaces the stored response, even unstored (RFC 9111 §4.3.3). */
  private void dropObsolete(int status) {
    if (found.response() != null && status < 500) {
      store.delete(found.key());
    }
  }
}
