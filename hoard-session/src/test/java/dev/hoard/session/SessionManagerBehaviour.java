package dev.hoard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.TypeRef;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.testing.Concurrently;
import dev.hoard.session.internal.SecureTokens;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link SessionManager} does on a server store, whatever the store; subclasses say which
 * store. Requests are simulated by open, use, save.
 */
abstract class SessionManagerBehaviour {

  static final ClientInfo ALICE_LAPTOP = new ClientInfo("10.0.0.1", "Firefox/140");
  static final ClientInfo ALICE_PHONE = new ClientInfo("10.0.0.2", "Safari/18");
  static final Duration IDLE = Duration.ofMinutes(30);

  ManualClock clock;
  SessionStore store;
  RecordingListener listener;
  SessionManager manager;

  /** A fresh store on {@code clock}. */
  abstract SessionStore openStore(ManualClock clock);

  @BeforeEach
  void openManager() {
    clock = new ManualClock();
    store = openStore(clock);
    listener = new RecordingListener();
    manager = manager(ClientBinding.NONE);
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /**
   * A manager on the same store. Only {@link #manager} is closed (closing closes the store); the
   * others hold nothing else, their purge schedule being off.
   */
  SessionManager manager(ClientBinding binding) {
    return SessionManager.builder(store).clock(clock).idleTimeout(IDLE)
        .absoluteTimeout(Duration.ofHours(2)).touchInterval(Duration.ofMinutes(1))
        .purgeInterval(Duration.ZERO).clientBinding(binding).listener(listener).build();
  }

  /** One request that puts {@code name=value} into a fresh session; returns the token. */
  String newSessionWith(String name, Object value) {
    Session session = manager.open(null, ALICE_LAPTOP);
    session.put(name, value);
    return manager.save(session);
  }

  record Cart(List<String> items, int total) {}

  // ---------------------------------------------------------------- create, open, save

  @Test
  void aNewUnmodifiedSessionIsNotStored() {
    Session session = manager.open(null, ALICE_LAPTOP);
    assertThat(session.isNew()).isTrue();
    assertThat(session.isValid()).isTrue();
    assertThat(session.names()).isEmpty();
    assertThat(manager.save(session)).isNull();
    assertThat(store.load(SecureTokens.sha256(session.id()), clock.instant())).isNull();
    assertThat(listener.created).isEmpty();
  }

  @Test
  void aSavedSessionOpensAgainWithTypedAttributes() {
    Session first = manager.open(null, ALICE_LAPTOP);
    Cart cart = new Cart(List.of("book", "pen"), 12);
    first.put("cart", cart);
    first.put("visits", 3);
    assertThat(first.get("cart", Cart.class)).isSameAs(cart);
    String token = manager.save(first);
    assertThat(token).isEqualTo(first.id()).hasSize(43).matches("[A-Za-z0-9_-]+");

    clock.advance(Duration.ofMinutes(5));
    Session second = manager.open(token, ALICE_LAPTOP);

    assertThat(second.isNew()).isFalse();
    assertThat(second.id()).isEqualTo(token);
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(second.lastAccessedAt()).isEqualTo(first.createdAt());
    assertThat(second.get("cart", Cart.class)).isEqualTo(cart);
    assertThat(second.get("visits", Integer.class)).isEqualTo(3);
    assertThat(second.get("cart", new TypeRef<Map<String, Object>>() {}))
        .containsEntry("total", 12);
    assertThat(second.get("missing", String.class)).isNull();
    assertThat(second.names()).containsExactlyInAnyOrder("cart", "visits");
    assertThat(manager.find(token, ALICE_LAPTOP)).isPresent();
    assertThat(listener.created).hasSize(1);
  }

  @Test
  void idsAreRandom256BitAndTheStoreOnlySeesTheirHash() {
    String token = newSessionWith("a", 1);
    String other = newSessionWith("a", 1);
    assertThat(token).isNotEqualTo(other);
    assertThat(store.load(token, clock.instant())).isNull();
    SessionRecord stored = store.load(SecureTokens.sha256(token), clock.instant());
    assertThat(stored).isNotNull();
    assertThat(stored.key()).isNotEqualTo(token);
    assertThat(listener.created.get(0).handle()).isEqualTo(stored.key());
  }

  @Test
  void unknownAndMalformedTokensGiveANewSessionWithoutThrowing() {
    for (String token : List.of("", "short", SecureTokens.random(), "x".repeat(43), "é".repeat(43),
        "a b".repeat(20), "x".repeat(10_000))) {
      Session session = manager.open(token, ALICE_LAPTOP);
      assertThat(session.isNew()).as(token).isTrue();
      assertThat(session.id()).isNotEqualTo(token);
      assertThat(manager.find(token, ALICE_LAPTOP)).isEmpty();
    }
  }

  @Test
  void aValueTheCodecCannotReadIsNullAndTheOthersAreFine() {
    String token = newSessionWith("good", "fine");
    String key = SecureTokens.sha256(token);
    SessionRecord stored = store.load(key, clock.instant());
    Map<String, byte[]> attributes = new java.util.HashMap<>(stored.attributes());
    attributes.put("broken", "{not json".getBytes(StandardCharsets.UTF_8));
    store.create(new SessionRecord(key, stored.createdAt(), stored.lastAccessedAt(),
        stored.expiresAt(), null, attributes));

    Session session = manager.open(token, ALICE_LAPTOP);
    assertThat(session.isNew()).isFalse();
    assertThat(session.get("broken")).isNull();
    assertThat(session.get("broken", Cart.class)).isNull();
    assertThat(session.get("good", String.class)).isEqualTo("fine");
    // Read as the wrong type: null, not an exception.
    assertThat(session.get("good", Cart.class)).isNull();
    assertThat(session.contains("broken")).isTrue();
  }

  @Test
  void reservedNamesAreRejectedAndHidden() {
    Session session = manager.open(null, ALICE_LAPTOP);
    session.csrfToken();
    session.flash("info", "hi");
    assertThatThrownBy(() -> session.put("hoard.csrf", "mine"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hoard.csrf");
    assertThat(session.names()).isEmpty();
  }

  @Test
  void aValueTheCodecCannotWriteFailsAtPutNamingTheAttribute() {
    Session session = manager.open(null, ALICE_LAPTOP);
    assertThatThrownBy(() -> session.put("stream", new Object()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'stream'");
    assertThat(session.contains("stream")).isFalse();
  }

  // ---------------------------------------------------------------- delta saves

  @Test
  void parallelRequestsKeepEachOthersWritesAndRemovals() {
    Session setup = manager.open(null, ALICE_LAPTOP);
    setup.put("keep", "k");
    setup.put("drop", "d");
    String token = manager.save(setup);

    Session one = manager.open(token, ALICE_LAPTOP);
    Session two = manager.open(token, ALICE_LAPTOP);
    one.put("fromOne", 1);
    two.put("fromTwo", 2);
    two.remove("drop");
    assertThat(manager.save(one)).isEqualTo(token);
    assertThat(manager.save(two)).isEqualTo(token);

    Session after = manager.open(token, ALICE_LAPTOP);
    assertThat(after.names()).containsExactlyInAnyOrder("keep", "fromOne", "fromTwo");
  }

  @Test
  void fiftyConcurrentRequestsEachSettingItsOwnAttributeAllLand() throws Exception {
    String token = newSessionWith("existing", "yes");
    int requests = 50;
    List<Boolean> saved = Concurrently.run(requests, i -> {
      Session session = manager.open(token, ALICE_LAPTOP);
      session.put("attr-" + i, i);
      return token.equals(manager.save(session));
    });
    assertThat(saved).containsOnly(true);

    Session after = manager.open(token, ALICE_LAPTOP);
    assertThat(after.names()).hasSize(requests + 1);
    for (int i = 0; i < requests; i++) {
      assertThat(after.get("attr-" + i, Integer.class)).isEqualTo(i);
    }
  }

  @Test
  void aSaveAfterTheSessionEndedElsewhereDoesNotRecreateIt() {
    String token = newSessionWith("a", 1);
    Session slow = manager.open(token, ALICE_LAPTOP);
    manager.open(token, ALICE_LAPTOP).invalidate();

    slow.put("late", "x");
    assertThat(manager.save(slow)).isNull();
    assertThat(slow.isValid()).isFalse();
    assertThat(store.load(SecureTokens.sha256(token), clock.instant())).isNull();
  }

  // ---------------------------------------------------------------- touch and timeouts

  @Test
  void accessTimeIsWrittenAtMostOncePerTouchInterval() {
    String token = newSessionWith("a", 1);
    String key = SecureTokens.sha256(token);
    Instant created = store.load(key, clock.instant()).lastAccessedAt();

    clock.advance(Duration.ofSeconds(30));
    assertThat(manager.save(manager.open(token, ALICE_LAPTOP))).isEqualTo(token);
    assertThat(store.load(key, clock.instant()).lastAccessedAt()).isEqualTo(created);

    clock.advance(Duration.ofSeconds(31));
    Session touched = manager.open(token, ALICE_LAPTOP);
    assertThat(manager.save(touched)).isEqualTo(token);
    assertThat(store.load(key, clock.instant()).lastAccessedAt()).isEqualTo(clock.instant());
    assertThat(store.load(key, clock.instant()).expiresAt()).isEqualTo(clock.instant().plus(IDLE));
    // A second save in the same request does not touch again.
    clock.advance(Duration.ofSeconds(5));
    manager.save(touched);
    assertThat(store.load(key, clock.instant()).lastAccessedAt())
        .isEqualTo(clock.instant().minusSeconds(5));
  }

  @Test
  void aSessionIdleForTheIdleTimeoutIsGone() {
    String token = newSessionWith("a", 1);
    clock.advance(IDLE.minusSeconds(1));
    assertThat(manager.save(manager.open(token, ALICE_LAPTOP))).isEqualTo(token);

    clock.advance(IDLE);
    Session session = manager.open(token, ALICE_LAPTOP);
    assertThat(session.isNew()).isTrue();
    assertThat(session.names()).isEmpty();
  }

  @Test
  void aSessionInUseEndsAtTheAbsoluteTimeout() {
    String token = newSessionWith("a", 1);
    for (int i = 0; i < 11; i++) {
      clock.advance(Duration.ofMinutes(10));
      Session session = manager.open(token, ALICE_LAPTOP);
      assertThat(session.isNew()).as("after %d minutes", (i + 1) * 10).isFalse();
      session.put("n", i);
      manager.save(session);
    }
    clock.advance(Duration.ofMinutes(10));
    assertThat(manager.open(token, ALICE_LAPTOP).isNew()).isTrue();
  }

  @Test
  void aSessionPastAShorterTimeoutIsDestroyedAndReportedExpired() {
    String token = newSessionWith("a", 1);
    SessionManager stricter = SessionManager.builder(store).clock(clock)
        .idleTimeout(Duration.ofMinutes(10)).purgeInterval(Duration.ZERO).listener(listener)
        .build();
    clock.advance(Duration.ofMinutes(15));
    assertThat(stricter.open(token, ALICE_LAPTOP).isNew()).isTrue();
    assertThat(listener.reasons()).containsExactly(DestroyReason.EXPIRED);
    assertThat(store.load(SecureTokens.sha256(token), clock.instant())).isNull();
  }

  @Test
  void touchIntervalMustBeShorterThanTheIdleTimeout() {
    assertThatThrownBy(() -> SessionManager.builder(store).idleTimeout(Duration.ofMinutes(1))
        .touchInterval(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("touchInterval").hasMessageContaining("idleTimeout");
  }

  // ---------------------------------------------------------------- fixation and hijack

  @Test
  void afterRegenerateTheOldIdLoadsNothingAndTheDataMoves() {
    String token = newSessionWith("cart", "full");
    Session session = manager.open(token, ALICE_LAPTOP);
    Instant createdAt = session.createdAt();
    session.put("step", "login");
    session.regenerate();

    assertThat(session.id()).isNotEqualTo(token);
    assertThat(manager.open(token, ALICE_LAPTOP).isNew()).isTrue();
    assertThat(manager.find(token, ALICE_LAPTOP)).isEmpty();
    assertThat(store.load(SecureTokens.sha256(token), clock.instant())).isNull();

    String fresh = manager.save(session);
    assertThat(fresh).isEqualTo(session.id());
    Session moved = manager.open(fresh, ALICE_LAPTOP);
    assertThat(moved.get("cart", String.class)).isEqualTo("full");
    assertThat(moved.get("step", String.class)).isEqualTo("login");
    assertThat(moved.createdAt()).isEqualTo(createdAt);
  }

  @Test
  void regenerateTakesAlongWhatAParallelRequestSaved() {
    Session first = manager.open(null, ALICE_LAPTOP);
    first.bindUser("alice");
    String token = manager.save(first);
    Session login = manager.open(token, ALICE_LAPTOP);
    Session other = manager.open(token, ALICE_LAPTOP);
    other.put("fromOther", "x");
    manager.save(other);

    login.regenerate();
    manager.save(login);

    Session after = manager.open(login.id(), ALICE_LAPTOP);
    assertThat(after.get("fromOther", String.class)).isEqualTo("x");
    assertThat(after.userId()).contains("alice");
    assertThat(manager.sessionsOf("alice")).extracting(SessionInfo::handle)
        .containsExactly(SecureTokens.sha256(login.id()));
  }

  @Test
  void regeneratingANewSessionOnlyChangesItsId() {
    Session session = manager.open(null, ALICE_LAPTOP);
    String before = session.id();
    session.regenerate();
    assertThat(session.id()).isNotEqualTo(before);
    session.put("a", 1);
    String token = manager.save(session);
    assertThat(token).isEqualTo(session.id());
    assertThat(manager.open(token, ALICE_LAPTOP).get("a", Integer.class)).isEqualTo(1);
  }

  @Test
  void addressBindingRefusesAndDestroysASessionFromAnotherAddress() {
    SessionManager bound = manager(ClientBinding.ADDRESS);
    Session session = bound.open(null, ALICE_LAPTOP);
    session.put("a", 1);
    String token = bound.save(session);

    ClientInfo sameAddressOtherBrowser = new ClientInfo("10.0.0.1", "Chrome/130");
    assertThat(bound.open(token, sameAddressOtherBrowser).isNew()).isFalse();

    Session hijacked = bound.open(token, ALICE_PHONE);
    assertThat(hijacked.isNew()).isTrue();
    assertThat(hijacked.names()).isEmpty();
    assertThat(listener.reasons()).containsExactly(DestroyReason.REFUSED);
    // Destroyed: even the rightful client has lost it now.
    assertThat(bound.open(token, ALICE_LAPTOP).isNew()).isTrue();
    assertThat(store.load(SecureTokens.sha256(token), clock.instant())).isNull();
  }

  @Test
  void userAgentBindingRefusesAnotherBrowser() {
    SessionManager bound = manager(ClientBinding.USER_AGENT);
    String token = saveNew(bound, ALICE_LAPTOP);
    assertThat(bound.open(token, new ClientInfo("192.168.1.9", "Firefox/140")).isNew()).isFalse();
    assertThat(bound.open(token, new ClientInfo("10.0.0.1", "curl/8")).isNew()).isTrue();
    assertThat(listener.reasons()).containsExactly(DestroyReason.REFUSED);
  }

  @Test
  void bothBindingNeedsAddressAndUserAgent() {
    SessionManager bound = manager(ClientBinding.ADDRESS_AND_USER_AGENT);
    assertThat(bound.open(saveNew(bound, ALICE_LAPTOP), ALICE_LAPTOP).isNew()).isFalse();
    assertThat(bound.open(saveNew(bound, ALICE_LAPTOP), new ClientInfo("10.0.0.1", "curl/8"))
        .isNew()).isTrue();
    assertThat(bound.open(saveNew(bound, ALICE_LAPTOP), new ClientInfo("10.0.0.9", "Firefox/140"))
        .isNew()).isTrue();
    assertThat(bound.open(saveNew(bound, ALICE_LAPTOP), ClientInfo.UNKNOWN).isNew()).isTrue();
    assertThat(listener.reasons()).hasSize(3).containsOnly(DestroyReason.REFUSED);
  }

  @Test
  void withoutBindingAnyClientHoldingTheIdGetsTheSession() {
    String token = saveNew(manager, ALICE_LAPTOP);
    assertThat(manager.open(token, ALICE_PHONE).isNew()).isFalse();
    assertThat(manager.open(token, ClientInfo.UNKNOWN).isNew()).isFalse();
  }

  private static String saveNew(SessionManager manager, ClientInfo client) {
    Session session = manager.open(null, client);
    session.put("a", 1);
    return manager.save(session);
  }

  // ---------------------------------------------------------------- invalidate

  @Test
  void invalidateEndsTheSessionAtOnce() {
    String token = newSessionWith("a", 1);
    Session session = manager.open(token, ALICE_LAPTOP);
    session.invalidate();

    assertThat(session.isValid()).isFalse();
    assertThat(store.load(SecureTokens.sha256(token), clock.instant())).isNull();
    assertThat(manager.save(session)).isNull();
    assertThat(manager.open(token, ALICE_LAPTOP).isNew()).isTrue();
    assertThat(listener.reasons()).containsExactly(DestroyReason.INVALIDATED);
    assertThatThrownBy(() -> session.put("b", 2)).isInstanceOf(IllegalStateException.class);
    session.invalidate();
    assertThat(listener.reasons()).hasSize(1);
  }

  // ---------------------------------------------------------------- CSRF and flashes

  @Test
  void csrfTokenIsStablePerSessionAndVerified() {
    Session session = manager.open(null, ALICE_LAPTOP);
    String csrf = session.csrfToken();
    assertThat(csrf).hasSize(43).isEqualTo(session.csrfToken());
    String token = manager.save(session);
    assertThat(token).as("a CSRF token makes the session worth storing").isNotNull();

    Session next = manager.open(token, ALICE_LAPTOP);
    assertThat(next.csrfToken()).isEqualTo(csrf);
    assertThat(next.verifyCsrfToken(csrf)).isTrue();
    assertThat(next.verifyCsrfToken(csrf.substring(1))).isFalse();
    assertThat(next.verifyCsrfToken(SecureTokens.random())).isFalse();
    assertThat(next.verifyCsrfToken(null)).isFalse();
    assertThat(next.verifyCsrfToken("")).isFalse();
    assertThat(manager.open(null, ALICE_LAPTOP).verifyCsrfToken(csrf)).isFalse();
  }

  @Test
  void flashesAreReadOnceByCategory() {
    Session first = manager.open(null, ALICE_LAPTOP);
    first.flash("info", "Saved.");
    first.flash("error", "Card declined.");
    first.flash("info", "Mail sent.");
    String token = manager.save(first);

    Session second = manager.open(token, ALICE_LAPTOP);
    assertThat(second.consumeFlashes("error"))
        .containsExactly(new Flash("error", "Card declined."));
    manager.save(second);

    Session third = manager.open(token, ALICE_LAPTOP);
    assertThat(third.consumeFlashes("error")).isEmpty();
    assertThat(third.consumeFlashes())
        .containsExactly(new Flash("info", "Saved."), new Flash("info", "Mail sent."));
    manager.save(third);

    assertThat(manager.open(token, ALICE_LAPTOP).consumeFlashes()).isEmpty();
  }

  // ---------------------------------------------------------------- users

  @Test
  void sessionsAreListedAndRevokedByUser() {
    Session laptop = manager.open(null, ALICE_LAPTOP);
    laptop.bindUser("alice");
    String laptopToken = manager.save(laptop);
    Session phone = manager.open(null, ALICE_PHONE);
    phone.bindUser("alice");
    String phoneToken = manager.save(phone);
    Session bob = manager.open(null, ALICE_PHONE);
    bob.bindUser("bob");
    String bobToken = manager.save(bob);

    List<SessionInfo> alices = manager.sessionsOf("alice");
    assertThat(alices).hasSize(2).allSatisfy(info -> {
      assertThat(info.user()).contains("alice");
      assertThat(info.handle()).isNotIn(laptopToken, phoneToken);
    });

    String phoneHandle = SecureTokens.sha256(phoneToken);
    assertThat(manager.revoke(phoneHandle)).isTrue();
    assertThat(manager.revoke(phoneHandle)).isFalse();
    assertThat(manager.open(phoneToken, ALICE_PHONE).isNew()).isTrue();
    assertThat(manager.revoke(phoneToken)).as("an id is not a handle").isFalse();

    assertThat(manager.revokeUser("alice")).isEqualTo(1);
    assertThat(manager.open(laptopToken, ALICE_LAPTOP).isNew()).isTrue();
    assertThat(manager.sessionsOf("alice")).isEmpty();
    assertThat(manager.open(bobToken, ALICE_PHONE).userId()).contains("bob");
    assertThat(listener.reasons()).containsExactly(DestroyReason.REVOKED, DestroyReason.REVOKED);
  }

  @Test
  void purgeRunsOnTheStore() {
    newSessionWith("a", 1);
    clock.advance(IDLE.plusMinutes(1));
    assertThat(manager.purgeExpired()).isGreaterThanOrEqualTo(0);
    assertThat(manager.idleTimeout()).isEqualTo(IDLE);
    assertThat(manager.absoluteTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(manager.backend()).isSameAs(store);
  }

  @Test
  void aManagerSavesOnlyItsOwnSessions() {
    SessionManager other = manager(ClientBinding.NONE);
    Session foreign = other.open(null, ALICE_LAPTOP);
    foreign.put("a", 1);
    assertThatThrownBy(() -> manager.save(foreign))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another manager");
  }

  @Test
  void toStringNeverShowsTheId() {
    Session session = manager.open(null, ALICE_LAPTOP);
    assertThat(session.toString()).doesNotContain(session.id());
  }
}
