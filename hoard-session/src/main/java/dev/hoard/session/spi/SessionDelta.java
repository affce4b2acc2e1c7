package dev.hoard.session.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one request changed in a session: only these attributes are written, so two concurrent
 * requests that change different attributes both keep their writes.
 *
 * <p>A store applies a delta atomically per session: the changed attributes are written, the
 * removed ones deleted, {@code lastAccessedAt} and {@code expiresAt} become the later of the stored
 * and the new value (a slow request that finishes last never moves them backwards), and a non-null
 * {@code userId} replaces the bound user (keeping the store's per-user index in step).
 *
 * @param changed attributes written in this request, encoded
 * @param removed attributes removed in this request (disjoint from {@code changed})
 * @param lastAccessedAt the request's access time
 * @param expiresAt the expiry that access gives the session
 * @param userId the user bound in this request, or {@code null} when the binding did not change
 */
public record SessionDelta(
    Map<String, byte[]> changed,
    Set<String> removed,
    Instant lastAccessedAt,
    Instant expiresAt,
    String userId) {

  /** Checks the fields and copies the collections. */
  public SessionDelta {
    changed = Map.copyOf(changed);
    removed = Set.copyOf(removed);
    Objects.requireNonNull(lastAccessedAt, "lastAccessedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    for (String name : removed) {
      if (changed.containsKey(name)) {
        throw new IllegalArgumentException(
            "attribute '" + name + "' is both changed and removed in one delta");
      }
    }
  }

  /** Whether the delta only moves the access time (a touch). */
  public boolean isTouchOnly() {
    return changed.isEmpty() && removed.isEmpty() && userId == null;
  }
}
