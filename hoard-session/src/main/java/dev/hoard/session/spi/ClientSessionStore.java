package dev.hoard.session.spi;

import java.time.Instant;

/**
 * A session store without server state: the whole session travels in the token the client holds
 * (a cookie), sealed so the client can neither read nor change it.
 *
 * <p>Such sessions cannot be revoked on the server before they expire, and cannot be listed by
 * user; the {@link dev.hoard.session.SessionManager} says so where it matters.
 */
public interface ClientSessionStore extends SessionBackend {

  /**
   * The session sealed in {@code token}, or {@code null} when the token is tampered, truncated,
   * sealed with a retired key, undecodable or expired at {@code now}. Never throws on bad input.
   */
  SessionRecord open(String token, Instant now);

  /**
   * Seals the session into a token for the client.
   *
   * @throws dev.hoard.session.SessionTooLargeException if the token would exceed the store's limit
   */
  String seal(SessionRecord record);
}
