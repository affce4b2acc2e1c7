package dev.hoard.session.internal;

import dev.hoard.session.ClientInfo;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionStoreUnavailableException;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions in a {@link SessionStore}: the client holds the id, the store files the session under a
 * SHA-256 of it, and only what a request changed is written back.
 */
public final class ServerSideStorage implements SessionStorage {

  private static final Logger log = LoggerFactory.getLogger(ServerSideStorage.class);

  private final SessionStore store;
  private final SessionTimeouts timeouts;
  private final SessionEvents events;

  /** Storage in {@code store} (already guarded by its circuit breaker). */
  public ServerSideStorage(SessionStore store, SessionTimeouts timeouts, SessionEvents events) {
    this.store = store;
    this.timeouts = timeouts;
    this.events = events;
  }

  @Override
  public String keyOf(String id) {
    return SecureTokens.sha256(id);
  }

  @Override
  public LastClient lastClientOf(ClientInfo client) {
    return LastClient.of(client);
  }

  @Override
  public Presented open(String token, Instant now) {
    if (!SecureTokens.isWellFormed(token)) {
      log.warn("malformed session token ({} characters) ignored; starting a new session",
          token.length());
      return null;
    }
    String key = keyOf(token);
    SessionRecord record = store.load(key, now);
    if (record == null) {
      log.info("session {} is unknown or expired; starting a new session",
          SecureTokens.logPrefix(key));
      return null;
    }
    return new Presented(token, record);
  }

  @Override
  public String storeNew(DefaultSession session, SessionRecord record) {
    store.create(record);
    return session.id();
  }

  @Override
  public String storeChanges(DefaultSession session, Instant now, Instant expiresAt) {
    if (!store.update(session.key(), session.delta(now, expiresAt), now)) {
      log.info("session {} ended while a request used it; that request's changes were dropped",
          SecureTokens.logPrefix(session.key()));
      session.markGone();
      session.markInvalid();
      return null;
    }
    return session.id();
  }

  @Override
  public void regenerate(DefaultSession session, Instant now) {
    String id = SecureTokens.random();
    String key = keyOf(id);
    if (!session.isStored()) {
      session.moveTo(id, key);
      return;
    }
    String oldKey = session.key();
    // Merge onto what is stored now, so that a parallel request's writes move along too.
    SessionRecord latest = store.load(oldKey, now);
    if (latest == null) {
      log.info("session {} ended while a request regenerated it; it starts afresh",
          SecureTokens.logPrefix(oldKey));
      session.markGone();
      session.moveTo(id, key);
      return;
    }
    String user = session.userChanged() ? session.userId().orElse(null) : latest.userId();
    Instant accessedAt = now.isAfter(latest.lastAccessedAt()) ? now : latest.lastAccessedAt();
    Instant expiresAt = timeouts.expiry(latest.createdAt(), accessedAt);
    SessionRecord moved = new SessionRecord(key, latest.createdAt(), accessedAt, expiresAt, user,
        session.mergedOnto(latest.attributes()));
    store.create(moved);
    store.delete(oldKey);
    session.rebase(id, key, moved.attributes(), user, accessedAt, expiresAt);
  }

  @Override
  public void remove(String key) {
    store.delete(key);
  }

  /** Never: a revoked server session is deleted, not remembered. */
  @Override
  public boolean isRevoked(SessionRecord record) {
    return false;
  }

  @Override
  public List<SessionRecord> sessionsOf(String userId, Instant now) {
    return store.findByUser(userId, now);
  }

  @Override
  public boolean revoke(String handle, Instant now) {
    SessionRecord record = store.load(handle, now);
    boolean deleted = store.delete(handle);
    if (deleted && record != null) {
      events.destroyed(infoOf(record), DestroyReason.REVOKED);
    }
    return deleted;
  }

  @Override
  public long revokeUser(String userId, Instant now) {
    List<SessionRecord> records = store.findByUser(userId, now);
    long deleted = store.deleteByUser(userId);
    for (SessionRecord record : records) {
      events.destroyed(infoOf(record), DestroyReason.REVOKED);
    }
    return deleted;
  }

  /** One load of an unknown session, through the circuit breaker. */
  @Override
  public boolean isAvailable(Instant now) {
    try {
      store.load(SecureTokens.sha256(SecureTokens.random()), now);
      return true;
    } catch (SessionStoreUnavailableException e) {
      return false;
    }
  }

  @Override
  public boolean needsPurging() {
    return true;
  }

  @Override
  public long purgeExpired(Instant now) {
    return store.purgeExpired(now);
  }

  /** The handle is the key itself: the store files sessions under the hash of their id. */
  @Override
  public SessionInfo infoOf(SessionRecord record) {
    return DefaultSession.infoOf(record.key(), record);
  }
}
