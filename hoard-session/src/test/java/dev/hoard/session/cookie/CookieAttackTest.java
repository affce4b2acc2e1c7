package dev.hoard.session.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client can do to its cookie: every altered token must open as a fresh empty session,
 * never as the original, never with an exception.
 */
class CookieAttackTest {

  static final ClientInfo CLIENT = new ClientInfo("10.0.0.1", "Firefox/140");
  static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  ManualClock clock;
  CookieSessionStore store;
  SessionManager manager;
  String token;

  @BeforeEach
  void sealOne() {
    clock = new ManualClock();
    store = CookieSessionStore.builder().key(CookieSessionStore.generateKey()).build();
    manager = SessionManager.builder(store).clock(clock).build();
    Session session = manager.open(null, CLIENT);
    session.put("role", "user");
    session.bindUser("mallory");
    token = manager.save(session);
    assertThat(manager.open(token, CLIENT).isNew()).isFalse();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** Opens {@code forged}; it must yield a new, empty session. */
  void assertRejected(String forged) {
    Session session = manager.open(forged, CLIENT);
    assertThat(session.isNew()).as("accepted a forged token").isTrue();
    assertThat(session.names()).isEmpty();
    assertThat(session.userId()).isEmpty();
    assertThat(store.open(forged, clock.instant())).isNull();
  }

  @Test
  void aTamperedCookieIsRejected() {
    byte[] raw = Base64.getUrlDecoder().decode(token);
    for (int position : new int[] {0, 1, 2, 13, 14, raw.length / 2, raw.length - 1}) {
      byte[] flipped = raw.clone();
      flipped[position] ^= 0x01;
      assertRejected(Base64.getUrlEncoder().withoutPadding().encodeToString(flipped));
    }
  }

  @Test
  void aTruncatedCookieIsRejected() {
    for (int length : new int[] {0, 1, 2, 10, 27, 28, 40, token.length() / 2, token.length() - 1}) {
      assertRejected(token.substring(0, length));
    }
    assertRejected(token + "A");
    assertRejected(token + token);
  }

  @Test
  void anExpiredCookieIsRejected() {
    clock.advance(Duration.ofMinutes(30));
    assertRejected(token);
  }

  @Test
  void aCookieForAnotherKeyIsRejected() {
    try (SessionManager other = SessionManager.builder(
        CookieSessionStore.builder().key(CookieSessionStore.generateKey()).build())
        .clock(clock).build()) {
      Session session = other.open(null, CLIENT);
      session.put("role", "admin");
      String foreign = other.save(session);
      assertRejected(foreign);
    }
  }

  @Test
  void aNonCanonicalSpellingOfAValidTokenIsRejected() {
    // The last character of unpadded base64 carries unused low bits; only one spelling counts.
    int last = token.length() - 1;
    for (char c : ALPHABET.toCharArray()) {
      String variant = token.substring(0, last) + c;
      if (!variant.equals(token)) {
        assertRejected(variant);
      }
    }
  }

  @Test
  void tenThousandRandomMutationsAreAllRejected() {
    long seed = System.nanoTime();
    System.out.println("CookieAttackTest mutation seed: " + seed);
    Random random = new Random(seed);
    int accepted = 0;
    int tried = 0;
    while (tried < 10_000) {
      String mutated = mutate(token, random);
      if (mutated.equals(token)) {
        continue;
      }
      tried++;
      Session session = manager.open(mutated, CLIENT);
      if (!session.isNew() || !session.names().isEmpty()) {
        accepted++;
      }
    }
    assertThat(accepted).as("accepted mutations, seed %d", seed).isZero();
  }

  /** One to three random edits of the token's text or its decoded bytes. */
  static String mutate(String token, Random random) {
    String result = token;
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits && !result.isEmpty(); i++) {
      int at = random.nextInt(result.length());
      char any = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      result = switch (random.nextInt(7)) {
        case 0 -> result.substring(0, at) + any + result.substring(at + 1);
        case 1 -> result.substring(0, at) + result.substring(at + 1);
        case 2 -> result.substring(0, at) + any + result.substring(at);
        case 3 -> result.substring(0, at);
        case 4 -> flipBit(result, random);
        case 5 -> result.substring(at) + result.substring(0, at);
        default ->
            result.substring(0, at) + (char) random.nextInt(0x250) + result.substring(at + 1);
      };
    }
    return result;
  }

  private static String flipBit(String token, Random random) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(token);
      if (raw.length == 0) {
        return token;
      }
      raw[random.nextInt(raw.length)] ^= (byte) (1 << random.nextInt(8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    } catch (IllegalArgumentException e) {
      return token + "!";
    }
  }
}
