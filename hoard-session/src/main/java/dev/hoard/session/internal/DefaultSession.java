package dev.hoard.session.internal;

import dev.hoard.cache.TypeRef;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import dev.hoard.session.Flash;
import dev.hoard.session.Session;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session one request holds: a view of the stored attributes plus what this request changed,
 * so that the manager writes only the difference ({@link #delta}).
 *
 * <p>Values are encoded when put: that catches a value the codec cannot write at the line that put
 * it, and what is saved is the value as it was at that moment. Hoard's reserved attributes are
 * always JSON whatever the application's codec, so a utf8 or bytes codec still works.
 */
public final class DefaultSession implements Session {

  /** The CSRF token. */
  public static final String CSRF = SessionRecord.RESERVED_PREFIX + "csrf";
  /** The queued flash messages. */
  public static final String FLASH = SessionRecord.RESERVED_PREFIX + "flash";
  /** The {@link ClientFingerprint} the session was created for. */
  public static final String CLIENT = SessionRecord.RESERVED_PREFIX + "client";
  /** The {@link LastClient} that used the session last (server stores only). */
  public static final String SEEN = SessionRecord.RESERVED_PREFIX + "seen";

  /** What stays when the session passes to another user: the client, not the user's data. */
  private static final Set<String> KEPT_FOR_NEXT_USER = Set.of(CLIENT, SEEN);

  private static final Logger log = LoggerFactory.getLogger(DefaultSession.class);
  private static final Codec RESERVED = Codecs.json();
  private static final Type FLASHES = new TypeRef<List<Flash>>() {}.type();

  private final SessionLifecycle lifecycle;
  private final Codec codec;
  private final Instant createdAt;
  private final Instant lastAccessedAt;
  private final boolean isNew;
  private final Map<String, byte[]> attributes;
  private final Map<String, Object> putValues = new HashMap<>();
  private final Set<String> changed = new HashSet<>();
  private final Set<String> removed = new HashSet<>();
  private String id;
  private String key;
  private String token;
  private Instant expiresAt;
  private Instant lastWrittenAccess;
  private String userId;
  private boolean userChanged;
  private boolean idChanged;
  private boolean startsAfresh;
  private boolean stored;
  private boolean valid = true;

  private DefaultSession(
      SessionLifecycle lifecycle, Codec codec, String id, String key, String token, boolean isNew,
      boolean stored, Instant createdAt, Instant lastAccessedAt, Instant expiresAt, String userId,
      Map<String, byte[]> attributes) {
    this.lifecycle = lifecycle;
    this.codec = codec;
    this.id = id;
    this.key = key;
    this.token = token;
    this.isNew = isNew;
    this.stored = stored;
    this.createdAt = createdAt;
    this.lastAccessedAt = lastAccessedAt;
    this.lastWrittenAccess = lastAccessedAt;
    this.expiresAt = expiresAt;
    this.userId = userId;
    this.attributes = new HashMap<>(attributes);
  }

  /**
   * A session created in this request for the client with {@code fingerprint}; {@code client} is
   * kept for listings unless null (cookie sessions keep nothing they need not carry).
   */
  public static DefaultSession created(
      SessionLifecycle lifecycle, Codec codec, String id, String key, Instant now, Instant expiresAt,
      ClientFingerprint fingerprint, LastClient client) {
    Map<String, byte[]> reserved = new HashMap<>();
    reserved.put(CLIENT, RESERVED.encode(fingerprint));
    if (client != null) {
      reserved.put(SEEN, RESERVED.encode(client));
    }
    return new DefaultSession(lifecycle, codec, id, key, null, true, false, now, now, expiresAt,
        null, reserved);
  }

  /** A session the client presented with {@code token}, as the store returned it. */
  public static DefaultSession loaded(
      SessionLifecycle lifecycle, Codec codec, String id, String token, SessionRecord record) {
    return new DefaultSession(lifecycle, codec, id, record.key(), token, false, true,
        record.createdAt(), record.lastAccessedAt(), record.expiresAt(), record.userId(),
        record.attributes());
  }

  /** The last client stored with a record, or {@code null} when it has none or it is unreadable. */
  public static LastClient lastClientOf(SessionRecord record) {
    byte[] bytes = record.attributes().get(SEEN);
    if (bytes == null) {
      return null;
    }
    try {
      return (LastClient) RESERVED.decode(bytes, LastClient.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What listeners and listings are shown of {@code record}, filed under {@code handle}. */
  public static SessionInfo infoOf(String handle, SessionRecord record) {
    LastClient client = lastClientOf(record);
    return new SessionInfo(handle, record.createdAt(), record.lastAccessedAt(),
        record.expiresAt(), record.userId(), client == null ? null : client.address(),
        client == null ? null : client.userAgent());
  }

  /** The fingerprint stored with a record, or {@code null} when it has none or it is unreadable. */
  public static ClientFingerprint fingerprintOf(SessionRecord record) {
    byte[] bytes = record.attributes().get(CLIENT);
    if (bytes == null) {
      return null;
    }
    try {
      return (ClientFingerprint) RESERVED.decode(bytes, ClientFingerprint.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  // ---- Session

  @Override
  public String id() {
    return id;
  }

  @Override
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public Instant lastAccessedAt() {
    return lastAccessedAt;
  }

  @Override
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean isNew() {
    return isNew;
  }

  @Override
  public boolean isValid() {
    return valid;
  }

  @Override
  public Object get(String name) {
    return get(name, Object.class);
  }

  @Override
  public <T> T get(String name, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return read(name, type, type);
  }

  @Override
  public <T> T get(String name, TypeRef<T> type) {
    Type generic = type.type();
    Class<?> raw = generic instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType()
        : generic instanceof Class<?> plain ? plain : Object.class;
    return read(name, raw, generic);
  }

  @SuppressWarnings("unchecked")
  private <T> T read(String name, Class<?> raw, Type type) {
    checkValid();
    Objects.requireNonNull(name, "name");
    Object put = putValues.get(name);
    if (put != null && raw.isInstance(put)) {
      return (T) put;
    }
    byte[] bytes = attributes.get(name);
    if (bytes == null) {
      return null;
    }
    Codec reader = isReserved(name) ? RESERVED : codec;
    try {
      return (T) reader.decode(bytes, type);
    } catch (RuntimeException e) {
      log.warn(
          "session attribute '{}' cannot be read as {} with the {} codec, reading it as null: {}",
          name, type.getTypeName(), reader.name(), firstLine(e));
      return null;
    }
  }

  @Override
  public void put(String name, Object value) {
    checkValid();
    Objects.requireNonNull(name, "name");
    if (isReserved(name)) {
      throw new IllegalArgumentException(
          "attribute names starting with '" + SessionRecord.RESERVED_PREFIX + "' are Hoard's own: '"
              + name + "'; choose another name");
    }
    if (value == null) {
      remove(name);
      return;
    }
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("session attribute '" + name + "': " + e.getMessage(), e);
    }
    write(name, bytes);
    putValues.put(name, value);
  }

  private void write(String name, byte[] bytes) {
    attributes.put(name, bytes);
    changed.add(name);
    removed.remove(name);
  }

  @Override
  public void remove(String name) {
    checkValid();
    Objects.requireNonNull(name, "name");
    putValues.remove(name);
    changed.remove(name);
    if (attributes.remove(name) != null) {
      removed.add(name);
    }
  }

  @Override
  public boolean contains(String name) {
    checkValid();
    return attributes.containsKey(name);
  }

  @Override
  public Set<String> names() {
    checkValid();
    return attributes.keySet().stream()
        .filter(name -> !isReserved(name))
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public void regenerate() {
    checkValid();
    // Whoever knew the old id may have read its token; the new id gets a new one on first use.
    remove(CSRF);
    lifecycle.regenerate(this);
  }

  @Override
  public void invalidate() {
    if (!valid) {
      return;
    }
    lifecycle.invalidate(this);
    valid = false;
  }

  @Override
  public String csrfToken() {
    checkValid();
    String existing = read(CSRF, String.class, String.class);
    if (existing != null) {
      return existing;
    }
    String fresh = SecureTokens.random();
    write(CSRF, RESERVED.encode(fresh));
    return fresh;
  }

  @Override
  public boolean verifyCsrfToken(String candidate) {
    checkValid();
    return SecureTokens.constantTimeEquals(read(CSRF, String.class, String.class), candidate);
  }

  @Override
  public void flash(String category, String message) {
    checkValid();
    List<Flash> flashes = new ArrayList<>(flashes());
    flashes.add(new Flash(category, message));
    write(FLASH, RESERVED.encode(flashes));
  }

  @Override
  public List<Flash> consumeFlashes(String... categories) {
    checkValid();
    List<Flash> queued = flashes();
    Set<String> wanted = Set.of(categories);
    List<Flash> taken = new ArrayList<>();
    List<Flash> kept = new ArrayList<>();
    for (Flash flash : queued) {
      (wanted.isEmpty() || wanted.contains(flash.category()) ? taken : kept).add(flash);
    }
    if (taken.isEmpty()) {
      return List.of();
    }
    if (kept.isEmpty()) {
      remove(FLASH);
    } else {
      write(FLASH, RESERVED.encode(kept));
    }
    return List.copyOf(taken);
  }

  private List<Flash> flashes() {
    List<Flash> flashes = read(FLASH, List.class, FLASHES);
    return flashes == null ? List.of() : flashes;
  }

  @Override
  public void bindUser(String userId) {
    checkValid();
    Objects.requireNonNull(userId, "userId");
    if (!userId.equals(this.userId)) {
      // What was put before (by the previous user, or by whoever planted this session on the
      // browser) must not reach the new user: a redirect target, a cart, flashes, the CSRF token.
      for (String name : List.copyOf(attributes.keySet())) {
        if (!KEPT_FOR_NEXT_USER.contains(name)) {
          remove(name);
        }
      }
      this.userId = userId;
      userChanged = true;
      startsAfresh = true;
      lifecycle.userChanged(this);
    }
  }

  @Override
  public Optional<String> userId() {
    return Optional.ofNullable(userId);
  }

  @Override
  public String toString() {
    // Never the id: it is a bearer secret and toString ends up in logs.
    return "Session[created " + createdAt + ", expires " + expiresAt
        + (userId == null ? "" : ", user " + userId) + (valid ? "" : ", invalidated") + "]";
  }

  private void checkValid() {
    if (!valid) {
      throw new IllegalStateException(
          "the session was invalidated; open or create a new one for further use");
    }
  }

  /** The first line of an exception's message: codecs quote input over several lines. */
  private static String firstLine(Exception e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }

  private static boolean isReserved(String name) {
    return name.startsWith(SessionRecord.RESERVED_PREFIX);
  }

  // ---- for the manager

  /** Whether this session was made by the manager behind {@code lifecycle}. */
  public boolean isManagedBy(SessionLifecycle lifecycle) {
    return this.lifecycle == lifecycle;
  }

  /** The key the store files this session under. */
  public String key() {
    return key;
  }

  /** The token the client holds for this session, or {@code null} when it holds none yet. */
  public String token() {
    return token;
  }

  /** Whether the store (or the client, for cookie sessions) already holds this session. */
  public boolean isStored() {
    return stored;
  }

  /** Whether this request changed anything worth writing beyond the access time. */
  public boolean hasChanges() {
    return !changed.isEmpty() || !removed.isEmpty() || userChanged || idChanged;
  }

  /** The latest access time written for this session (or loaded with it). */
  public Instant lastWrittenAccess() {
    return lastWrittenAccess;
  }

  /** What this request changed, for {@link dev.hoard.session.spi.SessionStore#update}. */
  public SessionDelta delta(Instant now, Instant expiresAt) {
    Map<String, byte[]> values = new HashMap<>();
    for (String name : changed) {
      values.put(name, attributes.get(name));
    }
    return new SessionDelta(values, removed, now, expiresAt, userChanged ? userId : null);
  }

  /** The whole session as this request sees it, under {@code key}. */
  public SessionRecord record(String key, Instant now, Instant expiresAt) {
    return new SessionRecord(key, createdAt, now, expiresAt, userId, attributes);
  }

  /**
   * {@code base} with this request's changes and removals applied; only this request's view when
   * this request bound another user, since the rest of {@code base} was the previous user's.
   */
  public Map<String, byte[]> mergedOnto(Map<String, byte[]> base) {
    Map<String, byte[]> merged = new HashMap<>(startsAfresh ? attributes : base);
    for (String name : changed) {
      merged.put(name, attributes.get(name));
    }
    merged.keySet().removeAll(removed);
    return merged;
  }

  /** Whether this request bound a user. */
  public boolean userChanged() {
    return userChanged;
  }

  /** Records that the changes so far were written, with {@code token} for the client. */
  public void saved(String token, Instant accessedAt, Instant expiresAt) {
    this.token = token;
    this.lastWrittenAccess = accessedAt;
    this.expiresAt = expiresAt;
    this.stored = true;
    changed.clear();
    removed.clear();
    userChanged = false;
    idChanged = false;
    startsAfresh = false;
  }

  /**
   * Records the client using the session in this request, for listings; written with the next
   * save only when its address or User-Agent changed.
   */
  public void noteClient(LastClient client) {
    byte[] encoded = RESERVED.encode(client);
    if (!Arrays.equals(encoded, attributes.get(SEEN))) {
      write(SEEN, encoded);
    }
  }

  /**
   * Gives the session a new id that nothing is stored under yet; it is written at the next save.
   * Cookie sessions use it on regenerate, and sessions the store does not hold.
   */
  public void moveTo(String id, String key) {
    this.id = id;
    this.key = key;
    this.idChanged = stored;
    if (!stored) {
      token = null;
    }
  }

  /** Regenerated in a server store: the store now holds {@code attributes} under the new key. */
  public void rebase(
      String id, String key, Map<String, byte[]> attributes, String userId, Instant accessedAt,
      Instant expiresAt) {
    this.id = id;
    this.key = key;
    this.attributes.clear();
    this.attributes.putAll(attributes);
    this.userId = userId;
    saved(id, accessedAt, expiresAt);
  }

  /** Forgets that the store holds this session (it ended elsewhere). */
  public void markGone() {
    stored = false;
    token = null;
  }

  /** Ends this instance without telling the store (the store already dropped it). */
  public void markInvalid() {
    valid = false;
  }
}
