package dev.hoard.session;

/**
 * Told when sessions begin and end. Expiry events are best effort: a session that expires inside
 * a backend (a Redis TTL) is reported when Hoard next sees it or purges it, not at the instant it
 * died; correctness never depends on them.
 */
public interface SessionListener {

  /** A new session was saved for the first time. */
  default void created(SessionInfo session) {}

  /** A session ended. */
  default void destroyed(SessionInfo session, DestroyReason reason) {}
}
