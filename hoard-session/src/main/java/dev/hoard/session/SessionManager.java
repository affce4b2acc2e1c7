package dev.hoard.session;

import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.PurgeSchedule;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import dev.hoard.session.internal.ClientFingerprint;
import dev.hoard.session.internal.ClientSideStorage;
import dev.hoard.session.internal.DefaultSession;
import dev.hoard.session.internal.EncryptedSessionStore;
import dev.hoard.session.internal.GuardedSessionStore;
import dev.hoard.session.internal.LastClient;
import dev.hoard.session.internal.RevocationList;
import dev.hoard.session.internal.SecureTokens;
import dev.hoard.session.internal.ServerSideStorage;
import dev.hoard.session.internal.SessionLifecycle;
import dev.hoard.session.internal.SessionEvents;
import dev.hoard.session.internal.SessionStorage;
import dev.hoard.session.internal.SessionTimeouts;
import dev.hoard.session.internal.SessionValidation;
import dev.hoard.session.spi.ClientSessionStore;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, loads, validates and saves sessions on one {@link SessionBackend}. Thread-safe; one per
 * application.
 *
 * <p>Each request {@link #open opens} the session for the token its client presented, uses it, and
 * hands it to {@link #save}, which writes only what the request changed and returns the token the
 * client must hold from then on. Whatever is wrong with a presented token (unknown, expired,
 * tampered, or presented by a client the session is not bound to) gives a fresh empty session and
 * one log line, never an exception.
 *
 * <p>Session ids are 256 bits from {@link java.security.SecureRandom}; server stores only ever see
 * a SHA-256 of them. Sessions end after {@link Builder#idleTimeout} without use and after {@link
 * Builder#absoluteTimeout} in any case. The access time is written at most once per {@link
 * Builder#touchInterval}, so a session may end up to that much before its idle timeout.
 *
 * <p>With a {@link ClientSessionStore} (cookie sessions) the whole session travels in the token:
 * such sessions cannot be listed or revoked one by one on the server, and an old token keeps
 * working until it expires, even after {@link Session#regenerate()} or {@link
 * Session#invalidate()}. With {@link Builder#revocations} a user's cookie sessions can still be
 * ended all at once by {@link #revokeUser}.
 *
 * <p>Binding a session to another user ({@link Session#bindUser}, a login) drops what the session
 * held before and, unless {@link Builder#regenerateOnLogin} is turned off, gives it a new id:
 * neither a planted session nor its data reach the user who logs in with it.
 *
 * <p>A server store sits behind a circuit breaker ({@link Builder#circuitBreaker}): when it cannot
 * be reached, calls that need it throw {@link SessionStoreUnavailableException} — at once while the
 * breaker is open, so an outage costs one failed call (one timeout) per cool-down — and never
 * quietly hand out a fresh session, which would look like a logout.
 */
public final class SessionManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

  /**
   * Opens on the first failure: a request whose session cannot be read fails anyway, so letting
   * more calls through only makes more requests wait for a timeout.
   */
  private static final CircuitBreakerSettings DEFAULT_BREAKER =
      CircuitBreakerSettings.defaults().consecutiveFailures(1);

  private final SessionBackend backend;
  private final SessionTimeouts timeouts;
  private final SessionEvents events;
  private final SessionStorage storage;
  private final SessionValidation validation;
  private final Codec codec;
  private final Clock clock;
  private final boolean regenerateOnLogin;
  private final SessionLifecycle lifecycle = new Lifecycle();
  private final PurgeSchedule purger;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SessionManager(Builder builder) {
    this.backend = builder.backend;
    this.timeouts = new SessionTimeouts(
        builder.idleTimeout, builder.absoluteTimeout, builder.touchInterval);
    this.events = new SessionEvents(builder.listeners);
    this.storage = backend instanceof SessionStore server
        ? new ServerSideStorage(
            new GuardedSessionStore(
                builder.encryptionKeys == null ? server
                    : new EncryptedSessionStore(server, builder.encryptionKeys),
                builder.breaker, builder.clock),
            timeouts, events)
        : new ClientSideStorage((ClientSessionStore) backend,
            builder.revocations == null ? null : new RevocationList(builder.revocations),
            timeouts);
    this.validation = new SessionValidation(timeouts, builder.binding, storage::isRevoked);
    this.codec = builder.codec;
    this.clock = builder.clock;
    this.regenerateOnLogin = builder.regenerateOnLogin;
    Duration purgeInterval = storage.needsPurging() ? builder.purgeInterval : Duration.ZERO;
    this.purger = PurgeSchedule.start(
        "hoard-session-purge", purgeInterval, backend.description(), this::purgeExpired);
  }

  /**
   * A builder for a manager on {@code backend}, a {@link SessionStore} or a {@link
   * ClientSessionStore}; the manager closes it when it is closed.
   */
  public static Builder builder(SessionBackend backend) {
    return new Builder(backend);
  }

  /**
   * The session for {@code token} (which may be {@code null}), or a new empty one ({@link
   * Session#isNew()}) when the token is missing, unknown, expired, tampered with, or presented by a
   * client the session is not bound to (that session is destroyed: a likely hijack).
   */
  public Session open(String token, ClientInfo client) {
    DefaultSession session = load(token, client);
    return session != null ? session : create(client);
  }

  /** The session for {@code token} after the same checks as {@link #open}, without creating one. */
  public Optional<Session> find(String token, ClientInfo client) {
    return Optional.ofNullable(load(token, client));
  }

  /** A new session for {@code client}; it is stored at the first save that finds it modified. */
  public Session create(ClientInfo client) {
    Instant now = now();
    String id = SecureTokens.random();
    return DefaultSession.created(lifecycle, codec, id, storage.keyOf(id), now,
        timeouts.expiry(now, now), ClientFingerprint.of(client), storage.lastClientOf(client));
  }

  /**
   * Writes what the request changed and returns the token the client must hold from now on: the
   * id for server stores, the sealed session for cookie stores; {@code null} when the client should
   * hold none (the session was invalidated or ended meanwhile, or is new and unmodified). Compare
   * it with the token the request presented to decide whether to send a cookie.
   *
   * @throws SessionTooLargeException if a cookie session outgrew the cookie; the previous token
   *     stays valid and nothing is lost
   * @throws IllegalArgumentException if {@code session} did not come from this manager
   */
  public String save(Session session) {
    DefaultSession own = own(session);
    if (!own.isValid()) {
      return null;
    }
    Instant now = now();
    if (!own.hasChanges()) {
      if (!own.isStored()) {
        return null;
      }
      if (!timeouts.touchDue(own, now)) {
        return own.token();
      }
    }
    Instant expiresAt = timeouts.expiry(own.createdAt(), now);
    if (!own.isStored()) {
      SessionRecord record = own.record(own.key(), now, expiresAt);
      String token = storage.storeNew(own, record);
      own.saved(token, now, expiresAt);
      events.created(storage.infoOf(record));
      return token;
    }
    String token = storage.storeChanges(own, now, expiresAt);
    if (token != null) {
      own.saved(token, now, expiresAt);
    }
    return token;
  }

  /**
   * The live sessions bound to {@code userId}, for "your devices" pages, the most recently used
   * first.
   *
   * @throws UnsupportedOperationException on cookie sessions, which the server cannot list
   */
  public List<SessionInfo> sessionsOf(String userId) {
    Objects.requireNonNull(userId, "userId");
    List<SessionInfo> sessions = new ArrayList<>();
    for (SessionRecord record : storage.sessionsOf(userId, now())) {
      sessions.add(storage.infoOf(record));
    }
    sessions.sort(Comparator.comparing(SessionInfo::lastAccessedAt).reversed());
    return List.copyOf(sessions);
  }

  /**
   * Ends the session with this {@link SessionInfo#handle() handle}; returns whether it existed.
   *
   * @throws UnsupportedOperationException on cookie sessions, which the server cannot revoke
   */
  public boolean revoke(String handle) {
    Objects.requireNonNull(handle, "handle");
    return storage.revoke(handle, now());
  }

  /**
   * Ends every session of {@code userId} ("log out everywhere"); returns how many ended. On cookie
   * sessions with {@link Builder#revocations} it records the moment instead, so that every session
   * the user was bound to before it is refused from now on, and returns 0: the server cannot know
   * how many cookies there were.
   *
   * @throws UnsupportedOperationException on cookie sessions without {@link Builder#revocations}
   */
  public long revokeUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    return storage.revokeUser(userId, now());
  }

  /**
   * Whether the session store answers now: one load of an unknown session, through the circuit
   * breaker (so while it is open this is {@code false} at once). Always {@code true} for cookie
   * sessions, which need no store.
   */
  public boolean isStoreAvailable() {
    return storage.isAvailable(now());
  }

  /** Removes expired sessions from a server store now; returns how many (0 for cookie sessions). */
  public long purgeExpired() {
    return storage.purgeExpired(now());
  }

  /** The backend sessions live in. */
  public SessionBackend backend() {
    return backend;
  }

  /** How long a session lives without use. */
  public Duration idleTimeout() {
    return timeouts.idle();
  }

  /** How long a session lives at most, however much it is used. */
  public Duration absoluteTimeout() {
    return timeouts.absolute();
  }

  /** Stops the purge schedule and closes the backend. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      purger.close();
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "SessionManager[" + backend.description() + ", idle " + timeouts.idle() + ", absolute "
        + timeouts.absolute() + ", binding " + validation.binding() + "]";
  }

  private DefaultSession load(String token, ClientInfo client) {
    if (token == null || token.isEmpty()) {
      log.debug("no session token presented; starting a new session");
      return null;
    }
    Instant now = now();
    SessionStorage.Presented presented = storage.open(token, now);
    if (presented == null) {
      return null;
    }
    SessionRecord record = presented.record();
    Optional<DestroyReason> refusal = validation.refusal(record, client, now);
    if (refusal.isPresent()) {
      logRefusal(refusal.get(), SecureTokens.logPrefix(SecureTokens.sha256(presented.id())));
      destroy(record, refusal.get());
      return null;
    }
    DefaultSession session = DefaultSession.loaded(lifecycle, codec, presented.id(), token, record);
    LastClient lastClient = storage.lastClientOf(client);
    if (lastClient != null) {
      session.noteClient(lastClient);
    }
    return session;
  }

  private void logRefusal(DestroyReason reason, String handlePrefix) {
    switch (reason) {
      case EXPIRED -> log.info(
          "session {} passed its idle or absolute timeout; starting a new session", handlePrefix);
      case REVOKED -> log.info("session {} belongs to a user whose sessions were revoked; starting"
          + " a new session", handlePrefix);
      default -> log.warn("session {} refused and destroyed: presented by a client that does not"
          + " match its {} binding (a likely hijack); starting a new session",
          handlePrefix, validation.binding());
    }
  }

  /** Removes a session found dead or refused at load and tells the listeners. */
  private void destroy(SessionRecord record, DestroyReason reason) {
    SessionInfo info = storage.infoOf(record);
    storage.remove(record.key());
    events.destroyed(info, reason);
  }

  private DefaultSession own(Session session) {
    Objects.requireNonNull(session, "session");
    if (!(session instanceof DefaultSession own) || !own.isManagedBy(lifecycle)) {
      throw new IllegalArgumentException(
          "save takes sessions this manager opened or created; this one came from "
              + (session instanceof DefaultSession
                  ? "another manager" : session.getClass().getName()));
    }
    return own;
  }

  private Instant now() {
    return clock.instant();
  }

  /** Carries out regenerate and invalidate for this manager's sessions. */
  private final class Lifecycle implements SessionLifecycle {

    @Override
    public void regenerate(DefaultSession session) {
      storage.regenerate(session, now());
    }

    @Override
    public void userChanged(DefaultSession session) {
      if (regenerateOnLogin) {
        regenerate(session);
      }
    }

    @Override
    public void invalidate(DefaultSession session) {
      if (!session.isStored()) {
        return;
      }
      SessionRecord record = session.record(session.key(), session.lastWrittenAccess(),
          session.expiresAt());
      storage.remove(session.key());
      events.destroyed(storage.infoOf(record), DestroyReason.INVALIDATED);
    }
  }

  /** Configures a {@link SessionManager}. */
  public static final class Builder {

    private final SessionBackend backend;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration absoluteTimeout = Duration.ofHours(12);
    private Duration touchInterval = Duration.ofMinutes(1);
    private Duration purgeInterval = Duration.ofMinutes(5);
    private ClientBinding binding = ClientBinding.NONE;
    private Codec codec = Codecs.json();
    private Clock clock = Clock.systemUTC();
    private final List<SessionListener> listeners = new ArrayList<>();
    private CacheStore revocations;
    private KeyRing encryptionKeys;
    private boolean regenerateOnLogin = true;
    private CircuitBreakerSettings breaker = DEFAULT_BREAKER;

    private Builder(SessionBackend backend) {
      Objects.requireNonNull(backend, "backend");
      if (!(backend instanceof SessionStore) && !(backend instanceof ClientSessionStore)) {
        throw new IllegalArgumentException(
            "a session backend is a SessionStore or a ClientSessionStore, not a "
                + backend.getClass().getName());
      }
      this.backend = backend;
    }

    /** How long a session lives without use; default 30 minutes. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /** How long a session lives at most, however much it is used; default 12 hours. */
    public Builder absoluteTimeout(Duration timeout) {
      this.absoluteTimeout = positive("absoluteTimeout", timeout);
      return this;
    }

    /**
     * How often the access time of an otherwise unchanged session is written; default 1 minute.
     * Must be shorter than the idle timeout.
     */
    public Builder touchInterval(Duration interval) {
      this.touchInterval = positive("touchInterval", interval);
      return this;
    }

    /** Which traits of the client sessions are bound to; default {@link ClientBinding#NONE}. */
    public Builder clientBinding(ClientBinding binding) {
      this.binding = Objects.requireNonNull(binding, "binding");
      return this;
    }

    /** How attribute values are encoded; default {@link Codecs#json()}. */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** The clock for timeouts; tests pass one they can advance. Default: the system clock, UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a listener told when sessions are created and destroyed. */
    public Builder listener(SessionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Where {@link SessionManager#revokeUser} records the revocations of cookie sessions, which
     * are then checked whenever a session bound to a user is opened (one read of this store per
     * such request). Use a store every node shares (Redis, Memcached, SQL) when there are several.
     * While it cannot be read, sessions are accepted (logged), so its outage logs nobody out.
     * Server stores need none: they delete the sessions. The manager does not close it. Open it
     * for the sessions' key space, {@code Caches.openStore(url, clock,
     * ReservedKeySpace.SESSIONS)}, so that clearing a cache on the same server never forgets a
     * revocation.
     */
    public Builder revocations(CacheStore store) {
      this.revocations = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Whether {@link Session#bindUser} with another user (a login) gives the session a new id
     * itself, as {@link Session#regenerate()} would; default on. Turn it off only when the
     * application regenerates on login itself. Either way the previous user's data is dropped.
     */
    public Builder regenerateOnLogin(boolean regenerate) {
      this.regenerateOnLogin = regenerate;
      return this;
    }

    /**
     * Encrypts attribute values (AES-256-GCM) before they reach a server store, so that a read of
     * the store (a backup, a replica, a stolen dump) shows no session data. Keys, times and the
     * bound user stay readable, since the store finds and expires sessions by them. The first key
     * of the ring encrypts, every key decrypts: rotate by putting a new key first. Values stored
     * before encryption was turned on, or under a key since removed, read as absent.
     *
     * @throws IllegalArgumentException at {@link #build()} for cookie sessions, encrypted already
     */
    public Builder encryptAttributes(KeyRing keys) {
      this.encryptionKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * When the circuit breaker in front of a server store opens and how long it stays open before
     * one trial call; by default it opens on the first failure and stays open one second ({@link
     * SessionStoreUnavailableException#retryAfter()} is that cool-down).
     */
    public Builder circuitBreaker(CircuitBreakerSettings settings) {
      this.breaker = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * How often expired sessions are purged from a server store, with jitter; default 5 minutes,
     * {@link Duration#ZERO} turns the schedule off.
     */
    public Builder purgeInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("purgeInterval must not be negative, was " + interval);
      }
      this.purgeInterval = interval;
      return this;
    }

    /**
     * Builds the manager.
     *
     * @throws IllegalArgumentException if touchInterval is not shorter than idleTimeout, or
     *     attributes are to be encrypted in cookie sessions
     */
    public SessionManager build() {
      if (encryptionKeys != null && !(backend instanceof SessionStore)) {
        throw new IllegalArgumentException(backend.description() + " seals the whole session with"
            + " its own keys already; encryptAttributes is for server stores");
      }
      if (touchInterval.compareTo(idleTimeout) >= 0) {
        throw new IllegalArgumentException(
            "touchInterval (" + touchInterval + ") must be shorter than idleTimeout ("
                + idleTimeout + "), or sessions in use would expire");
      }
      return new SessionManager(this);
    }

    private static Duration positive(String name, Duration duration) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
