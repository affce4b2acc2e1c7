package dev.hoard.session;

import java.time.Instant;
import java.util.Optional;

/**
 * What can be shown about a stored session without holding its id: for "your devices" pages, the
 * CLI and listeners. {@code handle} is the hash the store files it under; {@link
 * SessionManager#revoke(String)} takes it, and it cannot be used as a session id.
 *
 * <p>Server stores keep the address and User-Agent (cut to 256 characters) of the client that
 * used the session last; they are {@code null} for cookie sessions, which carry nothing they do not
 * need, and for sessions stored by a Hoard version that did not keep them.
 *
 * @param handle the stored (hashed) key
 * @param createdAt when the session was created
 * @param lastAccessedAt its latest request (written at most once per touch interval)
 * @param expiresAt when it expires unless used again
 * @param userId the bound user, if any
 * @param address the client's address at its latest use (after trusted proxies), or null
 * @param userAgent the client's {@code User-Agent} at its latest use, or null
 */
public record SessionInfo(
    String handle, Instant createdAt, Instant lastAccessedAt, Instant expiresAt, String userId,
    String address, String userAgent) {

  /** The bound user. */
  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }
}
