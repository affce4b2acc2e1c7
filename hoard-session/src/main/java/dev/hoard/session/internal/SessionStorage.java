package dev.hoard.session.internal;

import dev.hoard.session.ClientInfo;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.spi.SessionRecord;
import java.time.Instant;
import java.util.List;

/**
 * Where a {@link dev.hoard.session.SessionManager} keeps its sessions, one implementation per kind
 * of backend: {@link ServerSideStorage} for a {@link dev.hoard.session.spi.SessionStore}, {@link
 * ClientSideStorage} for a {@link dev.hoard.session.spi.ClientSessionStore} (cookies). The manager
 * does everything both have in common (ids, validation, timeouts, listeners) and asks this for
 * what differs. Times come from the manager's clock.
 */
public interface SessionStorage {

  /** A session a client presented: its id and what was stored for it. */
  record Presented(String id, SessionRecord record) {}

  /** The key a session with {@code id} is filed under. */
  String keyOf(String id);

  /** What a session keeps of {@code client} for listings, or {@code null} when it keeps nothing. */
  LastClient lastClientOf(ClientInfo client);

  /**
   * The session {@code token} stands for, not yet validated, or {@code null} when the token is
   * malformed, unknown, expired or tampered with (each logged).
   */
  Presented open(String token, Instant now);

  /**
   * Stores {@code record}, a session new in this request, and returns the token its client must
   * hold.
   */
  String storeNew(DefaultSession session, SessionRecord record);

  /**
   * Stores what this request changed in a session stored before, and returns the token its client
   * must hold; {@code null} when the session ended meanwhile (it is then marked gone and invalid).
   */
  String storeChanges(DefaultSession session, Instant now, Instant expiresAt);

  /** Moves {@code session} to a fresh id; the old id loads nothing afterwards. */
  void regenerate(DefaultSession session, Instant now);

  /** Forgets the session filed under {@code key} (nothing to do for sessions the client holds). */
  void remove(String key);

  /** Whether the user of {@code record} was revoked after the session began. */
  boolean isRevoked(SessionRecord record);

  /**
   * The live sessions of {@code userId}.
   *
   * @throws UnsupportedOperationException when the server cannot list them
   */
  List<SessionRecord> sessionsOf(String userId, Instant now);

  /**
   * Ends the session with {@code handle}, telling the listeners; returns whether it existed.
   *
   * @throws UnsupportedOperationException when the server cannot end it
   */
  boolean revoke(String handle, Instant now);

  /**
   * Ends every session of {@code userId}, telling the listeners; returns how many ended, or 0 when
   * that cannot be known.
   *
   * @throws UnsupportedOperationException when the server cannot end them
   */
  long revokeUser(String userId, Instant now);

  /** Whether the backend answers now. */
  boolean isAvailable(Instant now);

  /** Whether expired sessions pile up on the server and need purging. */
  boolean needsPurging();

  /** Removes sessions expired at {@code now}; returns how many. */
  long purgeExpired(Instant now);

  /** What listeners and listings are shown of {@code record}. */
  SessionInfo infoOf(SessionRecord record);
}
