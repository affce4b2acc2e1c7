package dev.hoard.session.internal;

import dev.hoard.session.ClientInfo;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.spi.ClientSessionStore;
import dev.hoard.session.spi.SessionRecord;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions the client holds, sealed whole in its token by a {@link ClientSessionStore} (cookie
 * sessions). The server keeps nothing, so it can neither list nor end one such session; with a
 * {@link RevocationList} it can still refuse every session of a user.
 */
public final class ClientSideStorage implements SessionStorage {

  private static final Logger log = LoggerFactory.getLogger(ClientSideStorage.class);

  private final ClientSessionStore store;
  private final RevocationList revocations;
  private final SessionTimeouts timeouts;

  /** Storage sealed by {@code store}; {@code revocations} may be {@code null}. */
  public ClientSideStorage(
      ClientSessionStore store, RevocationList revocations, SessionTimeouts timeouts) {
    this.store = store;
    this.revocations = revocations;
    this.timeouts = timeouts;
  }

  /** The id itself: it travels inside the sealed token, which only the server can open. */
  @Override
  public String keyOf(String id) {
    return id;
  }

  /** Nothing: a cookie carries nothing it does not need. */
  @Override
  public LastClient lastClientOf(ClientInfo client) {
    return null;
  }

  @Override
  public Presented open(String token, Instant now) {
    SessionRecord record = unseal(token, now);
    if (record == null) {
      log.info("session cookie rejected (tampered, truncated, expired or sealed with a retired"
          + " key); starting a new session");
      return null;
    }
    return new Presented(record.key(), record);
  }

  private SessionRecord unseal(String token, Instant now) {
    try {
      SessionRecord record = store.open(token, now);
      return record != null && SecureTokens.isWellFormed(record.key()) ? record : null;
    } catch (RuntimeException e) {
      // The store promises not to throw on bad input; if it does anyway, the client still only
      // gets a new session.
      log.warn("{} failed to open a session cookie: {}", store.description(), e.toString());
      return null;
    }
  }

  @Override
  public String storeNew(DefaultSession session, SessionRecord record) {
    return store.seal(record);
  }

  @Override
  public String storeChanges(DefaultSession session, Instant now, Instant expiresAt) {
    return store.seal(session.record(session.id(), now, expiresAt));
  }

  /** A new id sealed at the next save; the old cookie stays valid until it expires. */
  @Override
  public void regenerate(DefaultSession session, Instant now) {
    String id = SecureTokens.random();
    session.moveTo(id, keyOf(id));
  }

  @Override
  public void remove(String key) {
    // Nothing on the server to remove; the client drops the cookie.
  }

  @Override
  public boolean isRevoked(SessionRecord record) {
    return revocations != null && revocations.revoked(record);
  }

  @Override
  public List<SessionRecord> sessionsOf(String userId, Instant now) {
    throw cannot("listed by user");
  }

  @Override
  public boolean revoke(String handle, Instant now) {
    throw cannot("revoked");
  }

  /** Records the moment in the revocation list: how many cookies there were is unknown. */
  @Override
  public long revokeUser(String userId, Instant now) {
    if (revocations == null) {
      throw cannot("revoked");
    }
    // Kept as long as a session can live: after that every older session is dead anyway.
    revocations.revoke(userId, now, now.plus(timeouts.absolute()));
    return 0;
  }

  /** Always: cookie sessions need no store. */
  @Override
  public boolean isAvailable(Instant now) {
    return true;
  }

  @Override
  public boolean needsPurging() {
    return false;
  }

  @Override
  public long purgeExpired(Instant now) {
    return 0;
  }

  /** The handle is a hash of the id, as a server store would file it under. */
  @Override
  public SessionInfo infoOf(SessionRecord record) {
    return DefaultSession.infoOf(SecureTokens.sha256(record.key()), record);
  }

  private UnsupportedOperationException cannot(String what) {
    return new UnsupportedOperationException(
        store.description() + " keeps sessions in the client's cookie, so they cannot be "
            + what + " on the server before they expire; use a server store (memory, redis,"
            + " jdbc, cache:) for that");
  }
}
