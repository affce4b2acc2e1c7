package dev.hoard.session.internal;

/**
 * The lifecycle changes a {@link DefaultSession} asks its manager to carry out at once rather than
 * at save time: the store must forget the old id the moment {@code regenerate()} or {@code
 * invalidate()} returns.
 */
public interface SessionLifecycle {

  /** Moves the session to a fresh id; the old id loads nothing afterwards. */
  void regenerate(DefaultSession session);

  /** The session was bound to another user: a login, which regenerates it if so configured. */
  void userChanged(DefaultSession session);

  /** Ends the session in the store. */
  void invalidate(DefaultSession session);
}
