package dev.hoard.session;

/** Why a session ended, as {@link SessionListener}s are told. */
public enum DestroyReason {
  /** The application called {@link Session#invalidate()}. */
  INVALIDATED,
  /** It passed its idle or absolute timeout. */
  EXPIRED,
  /** It was presented by a client that does not match its binding. */
  REFUSED,
  /** All sessions of its user were revoked ("log out everywhere"). */
  REVOKED
}
