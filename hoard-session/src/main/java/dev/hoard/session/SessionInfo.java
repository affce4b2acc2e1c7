package dev.hoard.session;

import java.time.Instant;
import java.util.Optional;

/**
 * What can be shown about a stored session without holding its id: for "your devices" pages, the
 * CLI and listeners. {@code handle} is the hash the store files it under; {@link
 * SessionManager#revoke(String)} takes it, and it cannot be used as a session id.
 *
 * @param handle the stored (hashed) key
 * @param createdAt when the session was created
 * @param lastAccessedAt its latest request
 * @param expiresAt when it expires unless used again
 * @param userId the bound user, if any
 */
public record SessionInfo(
    String handle, Instant createdAt, Instant lastAccessedAt, Instant expiresAt, String userId) {

  /** The bound user. */
  public Optional<String> user() {
    return Optional.ofNullable(userId);
  }
}
