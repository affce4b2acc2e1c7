package dev.hoard.session.spi;

import java.time.Instant;
import java.util.List;

/**
 * A server-side session store: the primitive operations a backend must do well. Ids, validation,
 * timeouts, CSRF, flashes and attribute encoding live above it in the {@link
 * dev.hoard.session.SessionManager}, once for every backend.
 *
 * <p>Keys are hashes of session ids ({@link SessionRecord#key()}). Times come from the caller so
 * tests can advance a clock. Implementations are thread-safe and report failures as unchecked
 * {@link dev.hoard.session.SessionException}s.
 */
public interface SessionStore extends SessionBackend {

  /** The live session filed under {@code key}, or {@code null} when absent or expired at {@code now}. */
  SessionRecord load(String key, Instant now);

  /** Stores a new session, replacing any previous one under the same key. */
  void create(SessionRecord record);

  /**
   * Applies a delta atomically (see {@link SessionDelta}). A session that is gone (deleted,
   * regenerated, expired at {@code now}) is left gone: the delta is dropped, never used to recreate
   * a half-empty session, and the call returns {@code false}.
   */
  boolean update(String key, SessionDelta delta, Instant now);

  /** Removes the session; returns whether one was there. */
  boolean delete(String key);

  /**
   * The live sessions bound to {@code userId}, for "your devices" pages and "log out everywhere".
   * Index entries of sessions that expired or were deleted are pruned on the way.
   */
  List<SessionRecord> findByUser(String userId, Instant now);

  /** Removes every session bound to {@code userId}; returns how many were removed. */
  long deleteByUser(String userId);

  /**
   * Removes sessions expired at {@code now}, in small batches, safe to run on several nodes at
   * once; returns how many were removed. Stores whose backend expires entries natively may return
   * 0 and only prune their indexes.
   */
  long purgeExpired(Instant now);
}
