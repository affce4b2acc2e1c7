package dev.hoard.session.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every server-side {@link SessionStore} must have. A backend's test extends this and
 * says how to open a store; the suite runs unchanged on memory, Redis, SQL and cache-backed stores.
 *
 * <p>Every test files its sessions under fresh random keys and user ids, so stores may share a
 * server (and a prefix or table) with other tests. Times are passed to the store explicitly and
 * come from {@link #clock}, which tests advance; a store whose server expires entries natively
 * must still never return a session that is expired at the {@code now} it is given.
 */
public abstract class SessionStoreContract {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration IDLE = Duration.ofMinutes(30);

  protected ManualClock clock;
  protected SessionStore store;

  /** Opens a store on {@code clock}; it may hold other tests' sessions but must not lose them. */
  protected abstract SessionStore openStore(ManualClock clock);

  /**
   * How many entries the store's own per-user index holds for {@code userId}, expired and deleted
   * sessions included, so tests can check that the index is pruned; empty for a store that keeps
   * no separate index.
   */
  protected OptionalLong indexedSessionsOf(String userId) {
    return OptionalLong.empty();
  }

  @BeforeEach
  public void openTheStore() {
    clock = new ManualClock();
    store = openStore(clock);
  }

  @AfterEach
  public void closeTheStore() {
    if (store != null) {
      store.close();
    }
  }

  /** A fresh key shaped like the ones the manager files sessions under (base64url SHA-256). */
  protected static String newKey() {
    byte[] hash = new byte[32];
    RANDOM.nextBytes(hash);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
  }

  protected static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  protected static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  protected static String text(byte[] stored) {
    return stored == null ? null : new String(stored, UTF_8);
  }

  protected Instant now() {
    return clock.instant();
  }

  /** Advances the clock by {@code duration} and returns the new time. */
  protected Instant after(Duration duration) {
    clock.advance(duration);
    return clock.instant();
  }

  /** A session created now, idle for {@link #IDLE}, with the given user and attributes. */
  protected SessionRecord newSession(String key, String userId, Map<String, byte[]> attributes) {
    Instant now = now();
    return new SessionRecord(key, now, now, now.plus(IDLE), userId, attributes);
  }

  protected SessionRecord created(String userId, Map<String, byte[]> attributes) {
    SessionRecord record = newSession(newKey(), userId, attributes);
    store.create(record);
    return record;
  }

  /** A delta that accesses the session now and extends it by the idle timeout. */
  protected SessionDelta delta(Map<String, byte[]> changed, Set<String> removed) {
    Instant now = now();
    return new SessionDelta(changed, removed, now, now.plus(IDLE), null);
  }

  private static Map<String, String> texts(SessionRecord record) {
    Map<String, String> texts = new HashMap<>();
    record.attributes().forEach((name, value) -> texts.put(name, text(value)));
    return texts;
  }

  private static List<String> keysOf(List<SessionRecord> records) {
    return records.stream().map(SessionRecord::key).toList();
  }

  // ---------------------------------------------------------------- create, load, delete

  @Test
  public void createdSessionLoadsWithEveryField() {
    String user = newUser();
    SessionRecord record = created(user, Map.of("cart", bytes("[1,2]"), "theme", bytes("dark")));

    SessionRecord loaded = store.load(record.key(), now());

    assertThat(loaded).isNotNull();
    assertThat(loaded.key()).isEqualTo(record.key());
    assertThat(loaded.createdAt()).isEqualTo(record.createdAt());
    assertThat(loaded.lastAccessedAt()).isEqualTo(record.lastAccessedAt());
    assertThat(loaded.expiresAt()).isEqualTo(record.expiresAt());
    assertThat(loaded.userId()).isEqualTo(user);
    assertThat(texts(loaded)).containsExactlyInAnyOrderEntriesOf(
        Map.of("cart", "[1,2]", "theme", "dark"));
  }

  @Test
  public void sessionWithoutUserOrAttributesLoads() {
    SessionRecord record = created(null, Map.of());
    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded).isNotNull();
    assertThat(loaded.userId()).isNull();
    assertThat(loaded.attributes()).isEmpty();
  }

  @Test
  public void unknownKeyLoadsNothing() {
    assertThat(store.load(newKey(), now())).isNull();
  }

  @Test
  public void createReplacesASessionUnderTheSameKey() {
    String firstUser = newUser();
    String secondUser = newUser();
    String key = newKey();
    store.create(newSession(key, firstUser, Map.of("a", bytes("1"), "b", bytes("2"))));
    store.create(newSession(key, secondUser, Map.of("c", bytes("3"))));

    SessionRecord loaded = store.load(key, now());
    assertThat(texts(loaded)).containsExactlyInAnyOrderEntriesOf(Map.of("c", "3"));
    assertThat(loaded.userId()).isEqualTo(secondUser);
    assertThat(store.findByUser(firstUser, now())).isEmpty();
    assertThat(keysOf(store.findByUser(secondUser, now()))).containsExactly(key);
  }

  @Test
  public void sessionsStayApart() {
    SessionRecord one = created(null, Map.of("n", bytes("one")));
    SessionRecord two = created(null, Map.of("n", bytes("two")));
    assertThat(text(store.load(one.key(), now()).attributes().get("n"))).isEqualTo("one");
    assertThat(text(store.load(two.key(), now()).attributes().get("n"))).isEqualTo("two");
    store.delete(one.key());
    assertThat(store.load(two.key(), now())).isNotNull();
  }

  @Test
  public void deleteRemovesAndReportsWhetherThereWasASession() {
    SessionRecord record = created(newUser(), Map.of("a", bytes("1")));
    assertThat(store.delete(record.key())).isTrue();
    assertThat(store.load(record.key(), now())).isNull();
    assertThat(store.delete(record.key())).isFalse();
    assertThat(store.delete(newKey())).isFalse();
  }

  // ---------------------------------------------------------------- expiry

  @Test
  public void sessionIsDeadFromTheInstantItExpires() {
    SessionRecord record = created(null, Map.of("a", bytes("1")));
    Instant expiresAt = record.expiresAt();

    assertThat(store.load(record.key(), expiresAt.minusMillis(1))).isNotNull();
    assertThat(store.load(record.key(), expiresAt)).isNull();
    assertThat(store.load(record.key(), expiresAt.plus(Duration.ofDays(1)))).isNull();
  }

  @Test
  public void expiredSessionIsNeverReturnedOnceTheClockPassesIt() {
    SessionRecord record = created(null, Map.of("a", bytes("1")));
    Instant later = after(IDLE.plusSeconds(1));
    assertThat(store.load(record.key(), later)).isNull();
  }

  @Test
  public void eachSessionExpiresAtItsOwnTime() {
    Instant start = now();
    String shortKey = newKey();
    String longKey = newKey();
    store.create(new SessionRecord(
        shortKey, start, start, start.plus(Duration.ofMinutes(5)), null, Map.of()));
    store.create(new SessionRecord(
        longKey, start, start, start.plus(Duration.ofHours(2)), null, Map.of()));

    Instant later = after(Duration.ofMinutes(10));
    assertThat(store.load(shortKey, later)).isNull();
    assertThat(store.load(longKey, later)).isNotNull();
  }

  // ---------------------------------------------------------------- update

  @Test
  public void updateWritesChangedAndDeletesRemovedAttributesOnly() {
    SessionRecord record = created(null, Map.of(
        "keep", bytes("k"), "change", bytes("old"), "drop", bytes("d")));

    boolean applied = store.update(record.key(), delta(
        Map.of("change", bytes("new"), "add", bytes("a")), Set.of("drop", "neverThere")), now());

    assertThat(applied).isTrue();
    assertThat(texts(store.load(record.key(), now()))).containsExactlyInAnyOrderEntriesOf(
        Map.of("keep", "k", "change", "new", "add", "a"));
  }

  @Test
  public void updateMovesAccessAndExpiryForward() {
    SessionRecord record = created(null, Map.of());
    Instant access = after(Duration.ofMinutes(10));
    Instant expiresAt = access.plus(IDLE);

    assertThat(store.update(
        record.key(), new SessionDelta(Map.of(), Set.of(), access, expiresAt, null), access))
        .isTrue();

    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded.createdAt()).isEqualTo(record.createdAt());
    assertThat(loaded.lastAccessedAt()).isEqualTo(access);
    assertThat(loaded.expiresAt()).isEqualTo(expiresAt);
    // The session now outlives its first expiry.
    assertThat(store.load(record.key(), record.expiresAt().plusSeconds(1))).isNotNull();
  }

  @Test
  public void accessAndExpiryNeverMoveBackwards() {
    SessionRecord record = created(null, Map.of());
    Instant start = record.createdAt();
    Instant fast = start.plus(Duration.ofMinutes(10));
    Instant slow = start.plus(Duration.ofMinutes(5));
    after(Duration.ofMinutes(11));

    // The request that started later finishes first; the slow one's write must not undo it.
    store.update(record.key(),
        new SessionDelta(Map.of("fast", bytes("1")), Set.of(), fast, fast.plus(IDLE), null), now());
    boolean applied = store.update(record.key(),
        new SessionDelta(Map.of("slow", bytes("2")), Set.of(), slow, slow.plus(IDLE), null), now());

    assertThat(applied).isTrue();
    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded.lastAccessedAt()).isEqualTo(fast);
    assertThat(loaded.expiresAt()).isEqualTo(fast.plus(IDLE));
    assertThat(texts(loaded)).containsExactlyInAnyOrderEntriesOf(Map.of("fast", "1", "slow", "2"));
  }

  @Test
  public void updateOfADeletedSessionReturnsFalseAndDoesNotRecreateIt() {
    String user = newUser();
    SessionRecord record = created(user, Map.of("a", bytes("1")));
    store.delete(record.key());

    boolean applied = store.update(record.key(),
        new SessionDelta(Map.of("late", bytes("x")), Set.of("a"), now(), now().plus(IDLE), user),
        now());

    assertThat(applied).isFalse();
    assertThat(store.load(record.key(), now())).isNull();
    assertThat(store.findByUser(user, now())).isEmpty();
  }

  @Test
  public void updateOfAnExpiredSessionReturnsFalseAndDoesNotRevive() {
    SessionRecord record = created(null, Map.of("a", bytes("1")));
    Instant dead = after(IDLE);

    boolean applied = store.update(record.key(), new SessionDelta(
        Map.of("late", bytes("x")), Set.of(), dead, dead.plus(IDLE), null), dead);

    assertThat(applied).isFalse();
    assertThat(store.load(record.key(), dead)).isNull();
    SessionRecord earlier = store.load(record.key(), record.expiresAt().minusMillis(1));
    if (earlier != null) {
      assertThat(earlier.attributes()).doesNotContainKey("late");
      assertThat(earlier.expiresAt()).isEqualTo(record.expiresAt());
    }
  }

  @Test
  public void updateOfAKeyNeverCreatedReturnsFalse() {
    String key = newKey();
    assertThat(store.update(key, delta(Map.of("a", bytes("1")), Set.of()), now())).isFalse();
    assertThat(store.load(key, now())).isNull();
  }

  @Test
  public void touchOnlyUpdateKeepsTheAttributes() {
    SessionRecord record = created(null, Map.of("a", bytes("1")));
    after(Duration.ofMinutes(2));
    assertThat(store.update(record.key(), delta(Map.of(), Set.of()), now())).isTrue();
    SessionRecord loaded = store.load(record.key(), now());
    assertThat(texts(loaded)).containsExactlyEntriesOf(Map.of("a", "1"));
    assertThat(loaded.lastAccessedAt()).isEqualTo(now());
  }

  @Test
  public void removingEveryAttributeLeavesAnEmptyLiveSession() {
    SessionRecord record = created(null, Map.of("a", bytes("1"), "b", bytes("2")));
    assertThat(store.update(record.key(), delta(Map.of(), Set.of("a", "b")), now())).isTrue();
    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded).isNotNull();
    assertThat(loaded.attributes()).isEmpty();
  }

  // ---------------------------------------------------------------- attribute values and names

  @Test
  public void attributeBytesAreBinarySafe() {
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    byte[] large = new byte[256 * 1024];
    new java.util.Random(42).nextBytes(large);
    SessionRecord record = created(null, Map.of("every", every, "empty", new byte[0]));
    store.update(record.key(), delta(Map.of("large", large, "nul", new byte[] {0}), Set.of()), now());

    Map<String, byte[]> loaded = store.load(record.key(), now()).attributes();
    assertThat(loaded.get("every")).isEqualTo(every);
    assertThat(loaded.get("empty")).isEmpty();
    assertThat(loaded.get("large")).isEqualTo(large);
    assertThat(loaded.get("nul")).containsExactly(0);
  }

  @Test
  public void attributeNamesAreStoredExactly() {
    // Names that could collide with a store's own fields or its encoding of names.
    Map<String, byte[]> odd = new LinkedHashMap<>();
    List<String> names = List.of(
        "with space", "ünïcödé 名前", "colon:slash/star*", "{braces}", "%25percent", "a'quote\"",
        "createdAt", "created", "expires", "expiresAt", "last_access", "user", "userId",
        "user_id", "key", "session_key", "name", "value", "#e", "a:x", "", "x".repeat(200),
        "Case", "case", "pad", "pad ");
    for (String name : names) {
      odd.put(name, bytes("value of " + name));
    }
    SessionRecord record = created(newUser(), odd);

    SessionRecord loaded = store.load(record.key(), now());
    assertThat(loaded.attributes().keySet()).containsExactlyInAnyOrderElementsOf(names);
    for (String name : names) {
      assertThat(text(loaded.attributes().get(name))).isEqualTo("value of " + name);
    }
    assertThat(loaded.userId()).isEqualTo(record.userId());
    assertThat(loaded.expiresAt()).isEqualTo(record.expiresAt());
  }

  @Test
  public void reservedHoardAttributesAreStoredLikeOthers() {
    SessionRecord record = created(null, Map.of(
        "hoard.csrf", bytes("\"token\""), "hoard.client", bytes("{\"address\":\"10.0.0.1\"}")));
    store.update(record.key(), delta(
        Map.of("hoard.flash", bytes("[{\"category\":\"info\"}]")), Set.of("hoard.client")), now());

    assertThat(texts(store.load(record.key(), now()))).containsExactlyInAnyOrderEntriesOf(Map.of(
        "hoard.csrf", "\"token\"", "hoard.flash", "[{\"category\":\"info\"}]"));
  }

  // ---------------------------------------------------------------- users

  @Test
  public void sessionsAreFoundAndDeletedByUser() {
    String alice = newUser();
    String bob = newUser();
    SessionRecord phone = created(alice, Map.of("device", bytes("phone")));
    SessionRecord laptop = created(alice, Map.of("device", bytes("laptop")));
    SessionRecord bobs = created(bob, Map.of());
    SessionRecord anonymous = created(null, Map.of());

    List<SessionRecord> found = store.findByUser(alice, now());
    assertThat(keysOf(found)).containsExactlyInAnyOrder(phone.key(), laptop.key());
    assertThat(found).allSatisfy(r -> assertThat(r.userId()).isEqualTo(alice));
    assertThat(found.stream().map(r -> text(r.attributes().get("device"))))
        .containsExactlyInAnyOrder("phone", "laptop");

    assertThat(store.deleteByUser(alice)).isEqualTo(2);
    assertThat(store.load(phone.key(), now())).isNull();
    assertThat(store.load(laptop.key(), now())).isNull();
    assertThat(store.findByUser(alice, now())).isEmpty();
    assertThat(store.load(bobs.key(), now())).isNotNull();
    assertThat(store.load(anonymous.key(), now())).isNotNull();
    assertThat(store.deleteByUser(alice)).isZero();
  }

  @Test
  public void unknownUserHasNoSessions() {
    assertThat(store.findByUser(newUser(), now())).isEmpty();
    assertThat(store.deleteByUser(newUser())).isZero();
  }

  @Test
  public void updateBindsAndRebindsTheUser() {
    String alice = newUser();
    String bob = newUser();
    SessionRecord record = created(null, Map.of());

    store.update(record.key(),
        new SessionDelta(Map.of(), Set.of(), now(), now().plus(IDLE), alice), now());
    assertThat(store.load(record.key(), now()).userId()).isEqualTo(alice);
    assertThat(keysOf(store.findByUser(alice, now()))).containsExactly(record.key());

    store.update(record.key(),
        new SessionDelta(Map.of(), Set.of(), now(), now().plus(IDLE), bob), now());
    assertThat(store.load(record.key(), now()).userId()).isEqualTo(bob);
    assertThat(store.findByUser(alice, now())).isEmpty();
    assertThat(keysOf(store.findByUser(bob, now()))).containsExactly(record.key());
    assertThat(store.deleteByUser(alice)).isZero();
    assertThat(store.load(record.key(), now())).isNotNull();
  }

  @Test
  public void updateWithoutAUserKeepsTheBoundUser() {
    String alice = newUser();
    SessionRecord record = created(alice, Map.of());
    store.update(record.key(), delta(Map.of("a", bytes("1")), Set.of()), now());
    assertThat(store.load(record.key(), now()).userId()).isEqualTo(alice);
    assertThat(keysOf(store.findByUser(alice, now()))).containsExactly(record.key());
  }

  @Test
  public void userIndexIsPrunedOfExpiredAndDeletedSessions() {
    String user = newUser();
    Instant start = now();
    SessionRecord live = created(user, Map.of());
    SessionRecord deleted = created(user, Map.of());
    String shortKey = newKey();
    store.create(new SessionRecord(
        shortKey, start, start, start.plus(Duration.ofMinutes(5)), user, Map.of()));
    store.delete(deleted.key());

    Instant later = after(Duration.ofMinutes(10));
    assertThat(keysOf(store.findByUser(user, later))).containsExactly(live.key());
    indexedSessionsOf(user).ifPresent(size -> assertThat(size).isEqualTo(1));
    assertThat(store.load(shortKey, later)).isNull();
    assertThat(store.deleteByUser(user)).isEqualTo(1);
    indexedSessionsOf(user).ifPresent(size -> assertThat(size).isZero());
  }

  @Test
  public void purgeRemovesExpiredSessionsAndPrunesTheUserIndex() {
    String user = newUser();
    Instant start = now();
    List<String> expiring = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String key = newKey();
      store.create(new SessionRecord(key, start, start, start.plus(Duration.ofMinutes(5)),
          i % 2 == 0 ? user : null, Map.of("i", bytes(Integer.toString(i)))));
      expiring.add(key);
    }
    SessionRecord liveOfUser = created(user, Map.of("live", bytes("yes")));
    SessionRecord liveAnonymous = created(null, Map.of("live", bytes("yes")));

    Instant later = after(Duration.ofMinutes(10));
    long purged = store.purgeExpired(later);

    // The store may hold other tests' sessions, which the purge removes too when they expired.
    assertThat(purged).isNotNegative();
    for (String key : expiring) {
      assertThat(store.load(key, later)).isNull();
    }
    assertThat(texts(store.load(liveOfUser.key(), later))).containsEntry("live", "yes");
    assertThat(texts(store.load(liveAnonymous.key(), later))).containsEntry("live", "yes");
    indexedSessionsOf(user).ifPresent(size -> assertThat(size).isEqualTo(1));
    assertThat(keysOf(store.findByUser(user, later))).containsExactly(liveOfUser.key());
    assertThat(store.purgeExpired(later)).isZero();
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  public void concurrentUpdatesEachWithItsOwnAttributeAllLand() throws Exception {
    SessionRecord record = created(newUser(), Map.of("existing", bytes("kept")));
    int requests = 50;
    List<Boolean> applied = Concurrently.run(requests, i -> store.update(record.key(),
        delta(Map.of("attr-" + i, bytes("value-" + i)), Set.of()), now()));

    assertThat(applied).containsOnly(true);
    Map<String, String> loaded = texts(store.load(record.key(), now()));
    assertThat(loaded).hasSize(requests + 1).containsEntry("existing", "kept");
    for (int i = 0; i < requests; i++) {
      assertThat(loaded).containsEntry("attr-" + i, "value-" + i);
    }
  }

  @Test
  public void concurrentUpdatesOfOneAttributeLeaveOneWholeValue() throws Exception {
    SessionRecord record = created(null, Map.of());
    Instant start = record.createdAt();
    int requests = 50;
    List<byte[]> written = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      byte[] value = new byte[2048 + i];
      java.util.Arrays.fill(value, (byte) i);
      written.add(value);
    }
    after(Duration.ofMinutes(1));
    List<Boolean> applied = Concurrently.run(requests, i -> {
      Instant access = start.plusSeconds(i);
      return store.update(record.key(), new SessionDelta(
          Map.of("shared", written.get(i), "own-" + i, bytes("x")), Set.of(),
          access, access.plus(IDLE), null), now());
    });

    assertThat(applied).containsOnly(true);
    SessionRecord loaded = store.load(record.key(), now());
    byte[] shared = loaded.attributes().get("shared");
    assertThat(written).anySatisfy(value -> assertThat(shared).isEqualTo(value));
    assertThat(loaded.attributes()).hasSize(requests + 1);
    assertThat(loaded.lastAccessedAt()).isEqualTo(start.plusSeconds(requests - 1));
    assertThat(loaded.expiresAt()).isEqualTo(start.plusSeconds(requests - 1).plus(IDLE));
  }

  @Test
  public void concurrentUpdatesAndADeleteNeverResurrectTheSession() throws Exception {
    SessionRecord record = created(null, Map.of("a", bytes("1")));
    int requests = 40;
    List<Boolean> results = Concurrently.run(requests, i -> {
      if (i == requests / 2) {
        return store.delete(record.key());
      }
      store.update(record.key(), delta(Map.of("attr-" + i, bytes("v")), Set.of()), now());
      return true;
    });
    assertThat(results).containsOnly(true);
    assertThat(store.load(record.key(), now())).isNull();
  }

  // ---------------------------------------------------------------- description

  @Test
  public void describesItselfWithoutSecrets() {
    assertThat(store.description()).isNotBlank().doesNotContainIgnoringCase("password");
  }
}
