package dev.hoard.session.internal;

import dev.hoard.session.ClientBinding;
import dev.hoard.session.ClientInfo;
import java.util.Objects;

/**
 * The traits of the client a session was created for, kept in the reserved attribute {@code
 * hoard.client}: the address as seen and a SHA-256 of the User-Agent (the header itself is long and
 * says more about the user than the check needs).
 *
 * @param address the client's address, or {@code null}
 * @param userAgentHash base64url SHA-256 of the User-Agent, or {@code null}
 */
public record ClientFingerprint(String address, String userAgentHash) {

  /** The fingerprint of {@code client}. */
  public static ClientFingerprint of(ClientInfo client) {
    ClientInfo known = client == null ? ClientInfo.UNKNOWN : client;
    return new ClientFingerprint(
        known.address(), known.userAgent() == null ? null : SecureTokens.sha256(known.userAgent()));
  }

  /** Whether {@code other} has the same traits as this one, as far as {@code binding} looks. */
  public boolean admits(ClientFingerprint other, ClientBinding binding) {
    boolean address = Objects.equals(address(), other.address());
    boolean userAgent = Objects.equals(userAgentHash(), other.userAgentHash());
    return switch (binding) {
      case NONE -> true;
      case ADDRESS -> address;
      case USER_AGENT -> userAgent;
      case ADDRESS_AND_USER_AGENT -> address && userAgent;
    };
  }
}
