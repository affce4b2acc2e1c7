package dev.hoard.session;

/**
 * Who is presenting a session: the client's address and User-Agent, used when sessions are bound
 * to their client ({@link ClientBinding}). Either part may be {@code null} when unknown.
 *
 * @param address the client's IP address as the server sees it (after trusted proxies)
 * @param userAgent the {@code User-Agent} header
 */
public record ClientInfo(String address, String userAgent) {

  /** A client about whom nothing is known; binding checks pass for it only when nothing is bound. */
  public static final ClientInfo UNKNOWN = new ClientInfo(null, null);
}
