package dev.hoard.session.internal;

import dev.hoard.session.ClientBinding;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.spi.SessionRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides whether a session a client presented may serve its request: not past a timeout, not
 * revoked, and presented by the client it is bound to. Checked in that order, so the revocation
 * store is read only for sessions still alive.
 */
public final class SessionValidation {

  private final SessionTimeouts timeouts;
  private final ClientBinding binding;
  private final Predicate<SessionRecord> revoked;

  /**
   * A validation with {@code timeouts} and {@code binding}; {@code revoked} tells whether a
   * session's user was revoked after it began.
   */
  public SessionValidation(
      SessionTimeouts timeouts, ClientBinding binding, Predicate<SessionRecord> revoked) {
    this.timeouts = timeouts;
    this.binding = binding;
    this.revoked = revoked;
  }

  /**
   * Why {@code record}, presented by {@code client} at {@code now}, must be refused and destroyed;
   * empty when it may be used.
   */
  public Optional<DestroyReason> refusal(SessionRecord record, ClientInfo client, Instant now) {
    if (timeouts.areOver(record, now)) {
      return Optional.of(DestroyReason.EXPIRED);
    }
    if (revoked.test(record)) {
      return Optional.of(DestroyReason.REVOKED);
    }
    ClientFingerprint bound = DefaultSession.fingerprintOf(record);
    ClientFingerprint presenting = ClientFingerprint.of(client);
    if (!(bound != null ? bound : ClientFingerprint.of(ClientInfo.UNKNOWN))
        .admits(presenting, binding)) {
      return Optional.of(DestroyReason.REFUSED);
    }
    return Optional.empty();
  }

  /** The traits of the client sessions are bound to. */
  public ClientBinding binding() {
    return binding;
  }
}
