package dev.hoard.session;

/**
 * Which traits of the client a session is bound to. A session presented by a client whose bound
 * traits differ from those it was created with is refused and destroyed (a likely hijack).
 */
public enum ClientBinding {
  /** No binding: any client holding the id gets the session. */
  NONE,
  /** Bound to the IP address (breaks for users on mobile networks that change address). */
  ADDRESS,
  /** Bound to a hash of the User-Agent. */
  USER_AGENT,
  /** Bound to both. */
  ADDRESS_AND_USER_AGENT
}
