package dev.hoard.session.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.KeyRing;
import dev.hoard.session.Session;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionManager;
import dev.hoard.session.spi.SessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@link SessionManager} guarantees on a server store against session fixation and
 * data at rest (issue 12), run unchanged on every store: a login moves the session to a new id and
 * a new CSRF token and drops what the session held before; listings show where sessions were used;
 * encrypted attributes never reach the store in plaintext and survive key rotation.
 */
public abstract class SessionSecurityContract {

  private static final ClientInfo MALLORY = new ClientInfo("203.0.113.66", "curl/8.9");
  private static final ClientInfo ALICE_LAPTOP =
      new ClientInfo("198.51.100.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
  private static final ClientInfo ALICE_PHONE =
      new ClientInfo("2001:db8::42", "Mozilla/5.0 (iPhone) Safari/18");

  protected ManualClock clock;
  protected SessionStore store;
  private final List<SessionManager> managers = new ArrayList<>();

  /** Opens a store on {@code clock}; it may hold other tests' sessions. */
  protected abstract SessionStore openStore(ManualClock clock);

  /**
   * Every byte string {@code store} keeps for the session filed under {@code key}, read from the
   * backend directly, past the store's own code (a Redis HGETALL, the SQL rows).
   */
  protected abstract List<byte[]> storedBytes(SessionStore store, String key);

  @BeforeEach
  public void openTheStore() {
    clock = new ManualClock();
    store = openStore(clock);
  }

  @AfterEach
  public void closeTheStore() {
    store.close();
  }

  private SessionManager manager(boolean regenerateOnLogin, KeyRing keys) {
    SessionManager.Builder builder = SessionManager.builder(store).clock(clock)
        .idleTimeout(Duration.ofMinutes(30)).touchInterval(Duration.ofMinutes(1))
        .purgeInterval(Duration.ZERO).regenerateOnLogin(regenerateOnLogin);
    if (keys != null) {
      builder.encryptAttributes(keys);
    }
    // Not closed: closing a manager closes the store, which the test closes once.
    return builder.build();
  }

  private SessionManager manager() {
    return manager(true, null);
  }

  private static String user() {
    return "user-" + UUID.randomUUID();
  }

  private static String handleOf(String token) {
    return dev.hoard.session.internal.SecureTokens.sha256(token);
  }

  @Test
  public void regenerateIssuesANewCsrfTokenAndRefusesTheOldOne() {
    SessionManager manager = manager();
    Session session = manager.open(null, ALICE_LAPTOP);
    String oldCsrf = session.csrfToken();
    String token = manager.save(session);

    Session next = manager.open(token, ALICE_LAPTOP);
    next.regenerate();
    String newCsrf = next.csrfToken();
    String newToken = manager.save(next);

    assertThat(newCsrf).isNotEqualTo(oldCsrf);
    Session after = manager.open(newToken, ALICE_LAPTOP);
    assertThat(after.verifyCsrfToken(oldCsrf)).isFalse();
    assertThat(after.verifyCsrfToken(newCsrf)).isTrue();
  }

  @Test
  public void aLoginOnAPlantedSessionGetsANewIdAndNoneOfTheAttackersData() {
    SessionManager manager = manager();
    // Mallory makes a session, learns its id and CSRF token, and plants the cookie on Alice.
    Session planted = manager.open(null, MALLORY);
    planted.put("next", "https://evil.example/phish");
    planted.flash("info", "from mallory");
    String malloryCsrf = planted.csrfToken();
    String plantedToken = manager.save(planted);

    Session login = manager.open(plantedToken, ALICE_LAPTOP);
    assertThat(login.isNew()).isFalse();
    String alice = user();
    login.bindUser(alice);
    String aliceToken = manager.save(login);

    assertThat(aliceToken).isNotEqualTo(plantedToken);
    assertThat(manager.open(plantedToken, MALLORY).isNew())
        .as("the planted id is dead after the login").isTrue();
    Session alices = manager.open(aliceToken, ALICE_LAPTOP);
    assertThat(alices.userId()).contains(alice);
    assertThat(alices.get("next")).isNull();
    assertThat(alices.consumeFlashes()).isEmpty();
    assertThat(alices.verifyCsrfToken(malloryCsrf)).isFalse();
    assertThat(alices.csrfToken()).isNotEqualTo(malloryCsrf);
    assertThat(manager.sessionsOf(alice)).extracting(SessionInfo::handle)
        .containsExactly(handleOf(aliceToken));
  }

  @Test
  public void anotherUsersLoginDropsTheFirstUsersDataEvenWithoutRegenerateOnLogin() {
    SessionManager manager = manager(false, null);
    Session session = manager.open(null, ALICE_LAPTOP);
    String alice = user();
    session.bindUser(alice);
    session.put("cart", List.of("book"));
    String csrf = session.csrfToken();
    String token = manager.save(session);

    Session relogin = manager.open(token, ALICE_LAPTOP);
    relogin.bindUser(alice);
    assertThat(relogin.get("cart")).as("the same user again changes nothing").isNotNull();
    String bob = user();
    relogin.bindUser(bob);
    String after = manager.save(relogin);

    assertThat(after).as("regenerateOnLogin is off").isEqualTo(token);
    Session bobs = manager.open(after, ALICE_LAPTOP);
    assertThat(bobs.userId()).contains(bob);
    assertThat(bobs.names()).isEmpty();
    assertThat(bobs.verifyCsrfToken(csrf)).isFalse();
    assertThat(manager.sessionsOf(alice)).isEmpty();
  }

  @Test
  public void aUsersSessionsAreListedMostRecentlyUsedFirstWithAddressAndUserAgent() {
    SessionManager manager = manager();
    String alice = user();
    Session laptop = manager.open(null, ALICE_LAPTOP);
    laptop.bindUser(alice);
    String laptopToken = manager.save(laptop);
    clock.advance(Duration.ofMinutes(2));
    Session phone = manager.open(null, ALICE_PHONE);
    phone.bindUser(alice);
    String phoneToken = manager.save(phone);

    assertThat(manager.sessionsOf(alice)).extracting(SessionInfo::handle)
        .containsExactly(handleOf(phoneToken), handleOf(laptopToken));
    SessionInfo newest = manager.sessionsOf(alice).get(0);
    assertThat(newest.address()).isEqualTo("2001:db8::42");
    assertThat(newest.userAgent()).isEqualTo("Mozilla/5.0 (iPhone) Safari/18");

    clock.advance(Duration.ofMinutes(2));
    ClientInfo laptopElsewhere = new ClientInfo("192.0.2.9", ALICE_LAPTOP.userAgent());
    manager.save(manager.open(laptopToken, laptopElsewhere));

    List<SessionInfo> listed = manager.sessionsOf(alice);
    assertThat(listed).extracting(SessionInfo::handle)
        .containsExactly(handleOf(laptopToken), handleOf(phoneToken));
    assertThat(listed.get(0).address()).as("the address of the latest use").isEqualTo("192.0.2.9");
    assertThat(listed.get(0).userAgent()).isEqualTo(ALICE_LAPTOP.userAgent());
  }

  @Test
  public void encryptedAttributesNeverReachTheStoreInPlaintext() {
    KeyRing keys = KeyRing.parse(KeyRing.generateKey());
    SessionManager manager = manager(true, keys);
    Session session = manager.open(null, ALICE_LAPTOP);
    session.bindUser(user());
    session.put("card", "4111-1111-1111-1111");
    String token = manager.save(session);
    Session next = manager.open(token, ALICE_LAPTOP);
    next.put("address", "221B Baker Street");
    manager.save(next);

    List<byte[]> stored = storedBytes(store, handleOf(token));
    assertThat(stored).as("the store holds the session").isNotEmpty();
    for (byte[] bytes : stored) {
      String text = new String(bytes, UTF_8);
      assertThat(text).doesNotContain("4111-1111").doesNotContain("Baker")
          .doesNotContain("Firefox").doesNotContain("198.51.100.7");
    }
    Session read = manager.open(token, ALICE_LAPTOP);
    assertThat(read.get("card", String.class)).isEqualTo("4111-1111-1111-1111");
    assertThat(read.get("address", String.class)).isEqualTo("221B Baker Street");
    assertThat(manager.sessionsOf(read.userId().orElseThrow()).get(0).userAgent())
        .isEqualTo(ALICE_LAPTOP.userAgent());
  }

  @Test
  public void aRotatedKeyRingReadsWhatTheOldKeySealedAndARetiredKeyReadsNothing() {
    String oldKey = KeyRing.generateKey();
    String newKey = KeyRing.generateKey();
    SessionManager before = manager(true, KeyRing.parse(oldKey));
    Session session = before.open(null, ALICE_LAPTOP);
    session.put("cart", "old");
    String token = before.save(session);

    SessionManager rotated = manager(true, KeyRing.parse(newKey + "," + oldKey));
    Session read = rotated.open(token, ALICE_LAPTOP);
    assertThat(read.get("cart", String.class)).isEqualTo("old");
    read.put("cart", "new");
    rotated.save(read);

    SessionManager retired = manager(true, KeyRing.parse(newKey));
    assertThat(retired.open(token, ALICE_LAPTOP).get("cart", String.class)).isEqualTo("new");
    Session other = before.open(null, ALICE_LAPTOP);
    other.put("cart", "sealed with the old key only");
    String otherToken = before.save(other);
    Session unreadable = retired.open(otherToken, ALICE_LAPTOP);
    assertThat(unreadable.isNew()).isFalse();
    assertThat(unreadable.get("cart")).isNull();
  }
}
