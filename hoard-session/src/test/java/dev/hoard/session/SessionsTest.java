package dev.hoard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.cache.CacheSessionStore;
import dev.hoard.session.cookie.CookieSessionStore;
import dev.hoard.session.internal.SecureTokens;
import dev.hoard.session.memory.MemorySessionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening managers from URLs: every scheme of this module, the generic parameters, the errors. */
class SessionsTest {

  static final ClientInfo CLIENT = new ClientInfo("10.0.0.1", "Firefox/140");

  final ManualClock clock = new ManualClock();

  @TempDir
  Path directory;

  @Test
  void genericParametersConfigureTheManager() {
    try (SessionManager manager = Sessions.open(
        "memory://?maximumSize=100&idleTimeout=5m&absoluteTimeout=1h&touchInterval=30s"
            + "&binding=address&purgeInterval=off", clock)) {
      assertThat(manager.backend()).isInstanceOf(MemorySessionStore.class);
      assertThat(manager.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
      assertThat(manager.absoluteTimeout()).isEqualTo(Duration.ofHours(1));
      assertThat(manager.toString()).contains("ADDRESS");

      Session session = manager.open(null, CLIENT);
      session.put("a", 1);
      String token = manager.save(session);
      assertThat(manager.open(token, new ClientInfo("10.9.9.9", "Firefox/140")).isNew()).isTrue();
      clock.advance(Duration.ofMinutes(5));
      assertThat(manager.open(manager.save(manager.open(null, CLIENT)), CLIENT).isNew()).isTrue();
    }
  }

  @Test
  void encryptionKeysAndRegenerateOnLoginComeFromTheUrl() {
    String key = KeyRing.generateKey();
    try (SessionManager manager = Sessions.open("memory://?encryptionKeys="
        + key.replace('+', '-').replace('/', '_') + "&regenerateOnLogin=false", clock)) {
      Session session = manager.open(null, CLIENT);
      session.put("secret", "plaintext-value");
      String token = manager.save(session);
      byte[] raw = ((MemorySessionStore) manager.backend())
          .load(SecureTokens.sha256(token), clock.instant()).attributes().get("secret");
      assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotContain("plaintext-value");
      assertThat(manager.open(token, CLIENT).get("secret", String.class))
          .isEqualTo("plaintext-value");

      Session login = manager.open(token, CLIENT);
      login.bindUser("alice");
      assertThat(manager.save(login)).as("regenerateOnLogin=false keeps the id").isEqualTo(token);
    }
  }

  @Test
  void badEncryptionParametersAreRefusedNamingThem() {
    assertThatThrownBy(() -> Sessions.open("memory://?encryptionKeys=short", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encryptionKeys")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> Sessions.open("cookie://?keys=" + KeyRing.generateKey()
        + "&encryptionKeys=" + KeyRing.generateKey(), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server stores");
    assertThatThrownBy(() -> Sessions.open("memory://?regenerateOnLogin=maybe", clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("regenerateOnLogin");
  }

  @Test
  void aListenerHearsOfSessionsOpenedFromAUrl() {
    RecordingListener listener = new RecordingListener();
    try (SessionManager manager = Sessions.open("memory://", clock, listener)) {
      Session session = manager.open(null, CLIENT);
      session.put("a", 1);
      String token = manager.save(session);
      assertThat(listener.created).hasSize(1);
      Session again = manager.open(token, CLIENT);
      again.invalidate();
      manager.save(again);
      assertThat(listener.reasons()).containsExactly(DestroyReason.INVALIDATED);
    }
  }

  @Test
  void cookieUrlsTakeAKeyRing() {
    String current = CookieSessionStore.generateKey();
    String older = CookieSessionStore.generateKey();
    String sealedWithOlder;
    try (SessionManager manager = Sessions.open("cookie://?keys=" + older, clock)) {
      Session session = manager.open(null, CLIENT);
      session.put("a", 1);
      sealedWithOlder = manager.save(session);
    }
    try (SessionManager manager = Sessions.open("cookie://?keys=" + current + "," + older, clock)) {
      assertThat(manager.backend()).isInstanceOf(CookieSessionStore.class);
      assertThat(manager.backend().description()).contains("2 keys");
      assertThat(manager.open(sealedWithOlder, CLIENT).get("a", Integer.class)).isEqualTo(1);
    }
  }

  @Test
  void cacheUrlsWrapAnyCacheStore() {
    String url = "cache:file://" + directory.resolve("sessions") + "?idleTimeout=10m";
    String token;
    try (SessionManager manager = Sessions.open(url, clock)) {
      assertThat(manager.backend()).isInstanceOf(CacheSessionStore.class);
      assertThat(manager.backend().description()).contains("file");
      Session session = manager.open(null, CLIENT);
      session.put("cart", "full");
      token = manager.save(session);
    }
    // The file store survives a restart, so do the sessions in it.
    try (SessionManager manager = Sessions.open(url, clock)) {
      assertThat(manager.open(token, CLIENT).get("cart", String.class)).isEqualTo("full");
      assertThat(manager.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }
    try (SessionManager manager = Sessions.open("cache:memory://?maximumSize=50", clock)) {
      assertThat(manager.backend().description()).contains("memory (50 entries)");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "memory://?idleTimeout=soon            | 'idleTimeout'",
      "memory://?absoluteTimeout=-1h         | 'absoluteTimeout'",
      "memory://?touchInterval=0s            | 'touchInterval'",
      "memory://?binding=ip                  | 'binding'",
      "memory://?purgeInterval=never         | 'purgeInterval'",
      "memory://?idleTimeot=5m               | idleTimeot",
      "memory://?maximumSize=lots            | 'maximumSize'",
      "memory://?idleTimeout=1m&touchInterval=5m | touchInterval",
      "cookie://                             | 'keys'",
      "cookie://?keys=c2hvcnQ=               | 'keys'",
      "cookie://?keys=,                      | 'keys'",
      "cache:memory://?maximumSize=10&colour=red | colour",
      "cache:                                | cache:",
      "cache:nosuch://host                   | nosuch",
      "nosuch://host                         | 'nosuch'",
      "memory                                | no scheme",
  })
  void badUrlsNameTheBadPart(String url, String named) {
    assertThatThrownBy(() -> Sessions.open(url, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void errorsNeverShowCookieKeys() {
    String key = CookieSessionStore.generateKey();
    assertThatThrownBy(() -> Sessions.open("cookie://?keys=" + key + "&idleTimeout=x", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idleTimeout").hasMessageNotContaining(key);
    assertThatThrownBy(() -> Sessions.open("cookie://?keys=" + key + "&bogus=1", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus").hasMessageNotContaining(key);
  }

  @Test
  void theUrlVariableIsNamedAsDocumented() {
    assertThat(Sessions.URL_VARIABLE).isEqualTo("HOARD_SESSION_URL");
  }
}
