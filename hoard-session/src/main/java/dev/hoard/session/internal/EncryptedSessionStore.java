package dev.hoard.session.internal;

import dev.hoard.session.KeyRing;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server store whose attribute values are sealed with a {@link KeyRing} before they reach it,
 * for every backend alike. Each value is bound to its session key and attribute name, so a value
 * copied to another session or attribute does not open there. Keys, times and the bound user stay
 * readable: the store needs them to find, index and expire sessions.
 */
public final class EncryptedSessionStore implements SessionStore {

  private static final Logger log = LoggerFactory.getLogger(EncryptedSessionStore.class);

  private final SessionStore store;
  private final KeyRing keys;

  /** Seals what goes into {@code store} with {@code keys}. */
  public EncryptedSessionStore(SessionStore store, KeyRing keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    return opened(store.load(key, now));
  }

  @Override
  public void create(SessionRecord record) {
    store.create(new SessionRecord(record.key(), record.createdAt(), record.lastAccessedAt(),
        record.expiresAt(), record.userId(), sealed(record.key(), record.attributes())));
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    return store.update(key, new SessionDelta(sealed(key, delta.changed()), delta.removed(),
        delta.lastAccessedAt(), delta.expiresAt(), delta.userId()), now);
  }

  @Override
  public boolean delete(String key) {
    return store.delete(key);
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    List<SessionRecord> records = new ArrayList<>();
    for (SessionRecord record : store.findByUser(userId, now)) {
      records.add(opened(record));
    }
    return records;
  }

  @Override
  public long deleteByUser(String userId) {
    return store.deleteByUser(userId);
  }

  @Override
  public long purgeExpired(Instant now) {
    return store.purgeExpired(now);
  }

  @Override
  public String description() {
    return store.description() + ", attributes encrypted (" + keys + ")";
  }

  @Override
  public void close() {
    store.close();
  }

  private Map<String, byte[]> sealed(String key, Map<String, byte[]> attributes) {
    Map<String, byte[]> sealed = new HashMap<>();
    attributes.forEach((name, value) -> sealed.put(name, keys.seal(value, context(key, name))));
    return sealed;
  }

  private SessionRecord opened(SessionRecord record) {
    if (record == null) {
      return null;
    }
    Map<String, byte[]> opened = new HashMap<>();
    int unreadable = 0;
    for (Map.Entry<String, byte[]> attribute : record.attributes().entrySet()) {
      byte[] plain = keys.open(attribute.getValue(), context(record.key(), attribute.getKey()));
      if (plain == null) {
        unreadable++;
      } else {
        opened.put(attribute.getKey(), plain);
      }
    }
    if (unreadable > 0) {
      log.warn("{} attributes of session {} do not open with the key ring (stored unencrypted,"
          + " or with a key since retired, or changed in the store); they read as absent",
          unreadable, record.key().substring(0, Math.min(8, record.key().length())));
    }
    return new SessionRecord(record.key(), record.createdAt(), record.lastAccessedAt(),
        record.expiresAt(), record.userId(), opened);
  }

  private static byte[] context(String key, String name) {
    return (key + '\0' + name).getBytes(StandardCharsets.UTF_8);
  }
}
