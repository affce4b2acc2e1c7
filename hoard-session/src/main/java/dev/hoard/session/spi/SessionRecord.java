package dev.hoard.session.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One session as a store keeps it: times, the bound user and the encoded attributes.
 *
 * <p>{@code key} is what a server store files the session under: a hash of the session id, never
 * the id itself, so a leaked table or keyspace cannot be replayed as cookies. Attribute values are
 * already encoded by the {@link dev.hoard.session.SessionManager}'s codec; names beginning with
 * {@value #RESERVED_PREFIX} belong to Hoard (CSRF token, flash messages, client binding) and are
 * stored like any other attribute. {@code expiresAt} is when the session dies if nobody touches it
 * again (the earlier of idle and absolute expiry); a store must never return a session whose
 * {@code expiresAt} has passed, and should let it expire natively where it can (a TTL).
 *
 * @param key the hashed id the store files the session under
 * @param createdAt when the session was created
 * @param lastAccessedAt the latest request that used it
 * @param expiresAt when it expires unless touched again
 * @param userId the user bound with {@link dev.hoard.session.Session#bindUser}, or {@code null}
 * @param attributes encoded attribute values by name; stores must not change the arrays
 */
public record SessionRecord(
    String key,
    Instant createdAt,
    Instant lastAccessedAt,
    Instant expiresAt,
    String userId,
    Map<String, byte[]> attributes) {

  /** Attribute names Hoard reserves for itself. */
  public static final String RESERVED_PREFIX = "hoard.";

  /** Checks the fields and copies the attribute map (not the arrays). */
  public SessionRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    attributes = Map.copyOf(attributes);
  }

  /** Whether the session is dead at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
