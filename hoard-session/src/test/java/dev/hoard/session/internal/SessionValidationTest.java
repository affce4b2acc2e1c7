package dev.hoard.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.codec.Codecs;
import dev.hoard.session.ClientBinding;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.DestroyReason;
import dev.hoard.session.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager's validation, timeouts and revocation list on their own, without a manager. */
class SessionValidationTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final SessionTimeouts TIMEOUTS =
      new SessionTimeouts(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(1));
  private static final ClientInfo LAPTOP = new ClientInfo("10.0.0.1", "Firefox");

  @Test
  void expiryIsTheEarlierOfTheIdleAndTheAbsoluteTimeout() {
    assertThat(TIMEOUTS.expiry(START, START)).isEqualTo(START.plus(Duration.ofMinutes(30)));
    Instant late = START.plus(Duration.ofHours(11).plusMinutes(50));
    assertThat(TIMEOUTS.expiry(START, late)).isEqualTo(START.plus(Duration.ofHours(12)));
  }

  @Test
  void aSessionIsOverTheMomentATimeoutIsReached() {
    SessionRecord record = record(START, START, START.plus(Duration.ofDays(1)), null, LAPTOP);
    Instant idleEnd = START.plus(Duration.ofMinutes(30));
    assertThat(TIMEOUTS.areOver(record, idleEnd.minusMillis(1))).isFalse();
    assertThat(TIMEOUTS.areOver(record, idleEnd)).isTrue();

    Instant usedLate = START.plus(Duration.ofHours(12)).minus(Duration.ofMinutes(1));
    SessionRecord inUse = record(START, usedLate, START.plus(Duration.ofDays(1)), null, LAPTOP);
    assertThat(TIMEOUTS.areOver(inUse, usedLate)).isFalse();
    assertThat(TIMEOUTS.areOver(inUse, START.plus(Duration.ofHours(12)))).isTrue();
  }

  @Test
  void anExpiredSessionIsRefusedWithoutAskingWhetherItWasRevoked() {
    SessionValidation validation = new SessionValidation(TIMEOUTS, ClientBinding.NONE, record -> {
      throw new AssertionError("the revocation store was read for a dead session");
    });
    SessionRecord record = record(START, START, START.plus(Duration.ofMinutes(30)), "alice", LAPTOP);

    assertThat(validation.refusal(record, LAPTOP, START.plus(Duration.ofHours(1))))
        .contains(DestroyReason.EXPIRED);
  }

  @Test
  void revocationIsCheckedBeforeTheClientBinding() {
    SessionRecord record = record(START, START, START.plus(Duration.ofMinutes(30)), "alice", LAPTOP);
    ClientInfo phone = new ClientInfo("10.0.0.2", "Safari");

    SessionValidation revoking =
        new SessionValidation(TIMEOUTS, ClientBinding.ADDRESS_AND_USER_AGENT, r -> true);
    SessionValidation binding =
        new SessionValidation(TIMEOUTS, ClientBinding.ADDRESS_AND_USER_AGENT, r -> false);

    assertThat(revoking.refusal(record, phone, START)).contains(DestroyReason.REVOKED);
    assertThat(binding.refusal(record, phone, START)).contains(DestroyReason.REFUSED);
    assertThat(binding.refusal(record, LAPTOP, START)).isEmpty();
  }

  @Test
  void aRevocationRefusesSessionsBegunUpToItsMomentOnByteAndReferenceStores() {
    ManualClock clock = new ManualClock(START.toEpochMilli());
    for (CacheStore store : new CacheStore[] {
        MemoryCacheStore.builder().clock(clock).build(),
        MemoryCacheStore.builder().clock(clock).copyValues().build()}) {
      try (store) {
        RevocationList revocations = new RevocationList(store);
        Instant revokedAt = START.plus(Duration.ofMinutes(5));
        revocations.revoke("alice", revokedAt, revokedAt.plus(Duration.ofHours(12)));

        assertThat(revocations.revoked(sessionOf("alice", START))).isTrue();
        assertThat(revocations.revoked(sessionOf("alice", revokedAt))).isTrue();
        assertThat(revocations.revoked(sessionOf("alice", revokedAt.plusMillis(1)))).isFalse();
        assertThat(revocations.revoked(sessionOf("bob", START))).isFalse();
        assertThat(revocations.revoked(sessionOf(null, START))).isFalse();
      }
    }
  }

  @Test
  void anOutageOfTheRevocationStoreAcceptsTheSession() {
    ManualClock clock = new ManualClock(START.toEpochMilli());
    BreakableStore store = new BreakableStore(MemoryCacheStore.builder().clock(clock).build());
    RevocationList revocations = new RevocationList(store);
    revocations.revoke("alice", START, START.plus(Duration.ofHours(12)));

    store.breakDown();

    assertThat(revocations.revoked(sessionOf("alice", START))).isFalse();
    store.repair();
    assertThat(revocations.revoked(sessionOf("alice", START))).isTrue();
  }

  private static SessionRecord sessionOf(String userId, Instant createdAt) {
    return record(createdAt, createdAt, createdAt.plus(Duration.ofMinutes(30)), userId, LAPTOP);
  }

  private static SessionRecord record(
      Instant createdAt, Instant accessedAt, Instant expiresAt, String userId, ClientInfo client) {
    Map<String, byte[]> attributes = new HashMap<>();
    attributes.put(DefaultSession.CLIENT, Codecs.json().encode(ClientFingerprint.of(client)));
    return new SessionRecord(SecureTokens.sha256(SecureTokens.random()), createdAt, accessedAt,
        expiresAt, userId, attributes);
  }
}
