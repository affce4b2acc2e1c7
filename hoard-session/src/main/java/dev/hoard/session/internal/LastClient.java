package dev.hoard.session.internal;

import dev.hoard.session.ClientInfo;

/**
 * The address and User-Agent a session was last used from, kept in the reserved attribute {@code
 * hoard.seen} of server-stored sessions for "your devices" pages ({@link
 * dev.hoard.session.SessionInfo}). The User-Agent is cut to {@value #MAXIMUM_USER_AGENT}
 * characters.
 *
 * @param address the client's address, or {@code null}
 * @param userAgent the {@code User-Agent} header, or {@code null}
 */
public record LastClient(String address, String userAgent) {

  /** The longest User-Agent kept. */
  public static final int MAXIMUM_USER_AGENT = 256;

  /** What is kept of {@code client}. */
  public static LastClient of(ClientInfo client) {
    ClientInfo known = client == null ? ClientInfo.UNKNOWN : client;
    String userAgent = known.userAgent();
    return new LastClient(known.address(), userAgent == null || userAgent.length()
        <= MAXIMUM_USER_AGENT ? userAgent : userAgent.substring(0, MAXIMUM_USER_AGENT));
  }
}
