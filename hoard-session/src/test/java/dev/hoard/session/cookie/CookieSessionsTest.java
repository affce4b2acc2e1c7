package dev.hoard.session.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.Session;
import dev.hoard.session.SessionListener;
import dev.hoard.session.SessionManager;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionTooLargeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cookie sessions through the manager: round trips, rotation, expiry, size, what cannot work. */
class CookieSessionsTest {

  static final ClientInfo CLIENT = new ClientInfo("10.0.0.1", "Firefox/140");
  static final Duration IDLE = Duration.ofMinutes(30);

  final String oldKey = CookieSessionStore.generateKey();
  final String newKey = CookieSessionStore.generateKey();
  final List<DestroyReason> destroyed = new ArrayList<>();
  ManualClock clock;
  SessionManager manager;

  @BeforeEach
  void open() {
    clock = new ManualClock();
    manager = manager(oldKey);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  SessionManager manager(String... keys) {
    CookieSessionStore.Builder store = CookieSessionStore.builder();
    for (String key : keys) {
      store.key(key);
    }
    return SessionManager.builder(store.build()).clock(clock).idleTimeout(IDLE)
        .absoluteTimeout(Duration.ofHours(2))
        .listener(new SessionListener() {
          @Override
          public void destroyed(SessionInfo session, DestroyReason reason) {
            destroyed.add(reason);
          }
        })
        .build();
  }

  String sealedWith(String name, Object value) {
    Session session = manager.open(null, CLIENT);
    session.put(name, value);
    return manager.save(session);
  }

  @Test
  void theWholeSessionTravelsInTheToken() {
    Session session = manager.open(null, CLIENT);
    session.bindUser("alice");
    session.put("cart", List.of("book", "pen"));
    String csrf = session.csrfToken();
    String token = manager.save(session);
    assertThat(token).matches("[A-Za-z0-9_-]+").isNotEqualTo(session.id());

    clock.advance(Duration.ofMinutes(5));
    Session back = manager.open(token, CLIENT);
    assertThat(back.isNew()).isFalse();
    assertThat(back.id()).isEqualTo(session.id());
    assertThat(back.get("cart", List.class)).containsExactly("book", "pen");
    assertThat(back.userId()).contains("alice");
    assertThat(back.verifyCsrfToken(csrf)).isTrue();
    assertThat(back.createdAt()).isEqualTo(session.createdAt());
  }

  @Test
  void theClientCannotReadThePayload() {
    String token = sealedWith("secret", "launch-code-1234");
    byte[] raw = Base64.getUrlDecoder().decode(token);
    String asText = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(asText).doesNotContain("launch-code").doesNotContain("secret");
    String inner = Base64.getEncoder().encodeToString("launch-code-1234".getBytes());
    assertThat(asText).doesNotContain(inner.substring(0, 12));
  }

  @Test
  void anUnchangedSessionKeepsItsTokenUntilATouchIsDue() {
    String token = sealedWith("a", 1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(manager.save(manager.open(token, CLIENT))).isEqualTo(token);

    clock.advance(Duration.ofMinutes(1));
    String touched = manager.save(manager.open(token, CLIENT));
    assertThat(touched).isNotEqualTo(token);
    assertThat(manager.open(touched, CLIENT).expiresAt()).isEqualTo(clock.instant().plus(IDLE));
  }

  @Test
  void aNewUnmodifiedSessionGetsNoCookie() {
    assertThat(manager.save(manager.open(null, CLIENT))).isNull();
  }

  @Test
  void anExpiredCookieOpensNothing() {
    String token = sealedWith("a", 1);
    clock.advance(IDLE);
    Session session = manager.open(token, CLIENT);
    assertThat(session.isNew()).isTrue();
    assertThat(session.names()).isEmpty();
  }

  @Test
  void keysRotateWithoutLoggingAnyoneOut() {
    String sealedWithOld = sealedWith("a", 1);
    try (SessionManager rotated = manager(newKey, oldKey)) {
      Session session = rotated.open(sealedWithOld, CLIENT);
      assertThat(session.isNew()).isFalse();
      session.put("b", 2);
      String resealed = rotated.save(session);

      // Sealed with the new key now: a ring without the old key still opens it.
      try (SessionManager retired = manager(newKey)) {
        assertThat(retired.open(resealed, CLIENT).get("b", Integer.class)).isEqualTo(2);
        assertThat(retired.open(sealedWithOld, CLIENT).isNew()).isTrue();
      }
      // ...and the old key alone cannot open what the new key sealed.
      assertThat(manager.open(resealed, CLIENT).isNew()).isTrue();
    }
  }

  @Test
  void aCookieSealedWithAnotherKeyOpensNothing() {
    String token = sealedWith("a", 1);
    try (SessionManager stranger = manager(newKey)) {
      assertThat(stranger.open(token, CLIENT).isNew()).isTrue();
    }
  }

  @Test
  void anOversizedSessionFailsAtSaveAndThePreviousTokenStillOpens() {
    String token = sealedWith("small", "ok");
    Session session = manager.open(token, CLIENT);
    session.put("huge", "x".repeat(5000));

    assertThatThrownBy(() -> manager.save(session))
        .isInstanceOfSatisfying(SessionTooLargeException.class, e -> {
          assertThat(e.limit()).isEqualTo(4096);
          assertThat(e.size()).isGreaterThan(4096);
          assertThat(e.getMessage()).contains(Integer.toString(e.size())).contains("4096");
        });

    Session previous = manager.open(token, CLIENT);
    assertThat(previous.isNew()).isFalse();
    assertThat(previous.get("small", String.class)).isEqualTo("ok");
    assertThat(previous.contains("huge")).isFalse();
    // The request can recover: drop the large value and save again.
    session.remove("huge");
    session.put("note", "smaller");
    String saved = manager.save(session);
    assertThat(manager.open(saved, CLIENT).get("note", String.class)).isEqualTo("smaller");
  }

  @Test
  void tokensStayUnderTheLimitUpToIt() {
    Session session = manager.open(null, CLIENT);
    session.put("filler", "y".repeat(2000));
    String token = manager.save(session);
    assertThat(token.length()).isLessThanOrEqualTo(CookieSessionStore.MAXIMUM_TOKEN_LENGTH);
    assertThat(manager.open(token, CLIENT).get("filler", String.class)).hasSize(2000);
  }

  @Test
  void regenerateGivesANewIdAndToken() {
    String token = sealedWith("a", 1);
    Session session = manager.open(token, CLIENT);
    String oldId = session.id();
    session.regenerate();
    String fresh = manager.save(session);
    assertThat(fresh).isNotEqualTo(token);
    Session reopened = manager.open(fresh, CLIENT);
    assertThat(reopened.id()).isNotEqualTo(oldId);
    assertThat(reopened.get("a", Integer.class)).isEqualTo(1);
  }

  @Test
  void invalidateClearsTheCookieButCannotRevokeCopies() {
    String token = sealedWith("a", 1);
    Session session = manager.open(token, CLIENT);
    session.invalidate();
    assertThat(manager.save(session)).isNull();
    assertThat(destroyed).containsExactly(DestroyReason.INVALIDATED);
    // Documented limit: a copied cookie still opens until it expires.
    assertThat(manager.open(token, CLIENT).isNew()).isFalse();
  }

  @Test
  void cookieSessionsCannotBeListedOrRevokedOnTheServer() {
    assertThatThrownBy(() -> manager.sessionsOf("alice"))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("cookie");
    assertThatThrownBy(() -> manager.revoke("handle"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> manager.revokeUser("alice"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(manager.purgeExpired()).isZero();
  }

  @Test
  void withRevocationsRevokingAUserRefusesEveryCookieSessionItHadBefore() {
    MemoryCacheStore revocations = MemoryCacheStore.builder().clock(clock).copyValues().build();
    SessionManager revoking = SessionManager.builder(
            CookieSessionStore.builder().key(oldKey).build())
        .clock(clock).idleTimeout(IDLE).revocations(revocations)
        .listener(new SessionListener() {
          @Override
          public void destroyed(SessionInfo session, DestroyReason reason) {
            destroyed.add(reason);
          }
        })
        .build();
    Session alices = revoking.open(null, CLIENT);
    alices.bindUser("alice");
    String alice = revoking.save(alices);
    Session bobs = revoking.open(null, CLIENT);
    bobs.bindUser("bob");
    String bob = revoking.save(bobs);
    clock.advance(Duration.ofSeconds(1));

    assertThat(revoking.revokeUser("alice")).isZero();

    assertThat(revoking.open(alice, CLIENT).isNew()).as("alice's old cookie").isTrue();
    assertThat(destroyed).containsExactly(DestroyReason.REVOKED);
    assertThat(revoking.open(bob, CLIENT).isNew()).as("another user's cookie").isFalse();
    clock.advance(Duration.ofSeconds(1));
    Session again = revoking.open(null, CLIENT);
    again.bindUser("alice");
    String fresh = revoking.save(again);
    assertThat(revoking.open(fresh, CLIENT).isNew()).as("a login after the revocation").isFalse();
    revoking.close();
  }

  @Test
  void keysMustBe32BytesOfBase64AndErrorsNeverShowThem() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> CookieSessionStore.builder().key(shortKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes")
        .hasMessageContaining("16");
    assertThatThrownBy(() -> CookieSessionStore.builder().key("not base64 at all!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("at all");
    assertThatThrownBy(() -> CookieSessionStore.builder().key(oldKey).key(oldKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(oldKey);
    assertThatThrownBy(() -> CookieSessionStore.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("generateKey");
    String urlSafe = oldKey.replace('+', '-').replace('/', '_').replace("=", "");
    assertThat(CookieSessionStore.builder().key(urlSafe).build().description())
        .isEqualTo("cookie (AES-256-GCM, 1 key)").doesNotContain(oldKey);
  }
}
