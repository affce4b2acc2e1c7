package dev.hoard.session.internal;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.session.spi.SessionRecord;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each user's cookie sessions were last revoked ("log out everywhere"), kept in a {@link
 * CacheStore} every node shares: a session bound to a user and created at or before that moment
 * is refused. The server cannot delete cookies, so it remembers the moment instead.
 */
public final class RevocationList {

  private static final Logger log = LoggerFactory.getLogger(RevocationList.class);

  private final CacheStore store;

  /** A list kept in {@code store}, which its owner closes. */
  public RevocationList(CacheStore store) {
    this.store = store;
  }

  /**
   * Records that every session of {@code userId} begun until {@code now} is revoked; the record is
   * kept until {@code keepUntil}, when every such session has expired anyway.
   */
  public void revoke(String userId, Instant now, Instant keepUntil) {
    long revokedAt = now.toEpochMilli();
    Object value = store.capabilities().contains(StoreCapability.STORES_REFERENCES)
        ? (Object) revokedAt
        : CounterFormat.encode(revokedAt);
    store.put(keyOf(userId), value, keepUntil.toEpochMilli());
  }

  /**
   * Whether {@code record}'s user was revoked after the session began. An outage of the store
   * answers {@code false} (logged): it must not log everybody out, and expiry still bounds them.
   */
  public boolean revoked(SessionRecord record) {
    if (record.userId() == null) {
      return false;
    }
    long revokedAt;
    try {
      String key = keyOf(record.userId());
      Object stored = store.get(key);
      if (stored == null) {
        return false;
      }
      revokedAt = CounterFormat.decode(key, stored);
    } catch (RuntimeException e) {
      log.warn("cannot read session revocations from {}: {}; the session is accepted",
          store.description(), e.toString());
      return false;
    }
    return record.createdAt().toEpochMilli() <= revokedAt;
  }

  private static String keyOf(String userId) {
    return "hoard:revoked:" + SecureTokens.sha256(userId);
  }
}
