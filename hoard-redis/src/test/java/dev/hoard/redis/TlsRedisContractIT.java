package dev.hoard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract over TLS ({@code rediss://}) with an ACL user, on a TLS-only server this test
 * starts with a self-signed certificate; plus the ways a TLS or credential mistake must fail.
 */
class TlsRedisContractIT extends CacheStoreContract {

  private static final String PASSWORD = "s3cret-Pa55";

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.noServerYet();

  private static int port;
  private static Path certificate;

  @BeforeAll
  static void startTlsServer() {
    RedisServers servers = redis.servers();
    Path tls = servers.selfSignedCertificate();
    certificate = tls.resolve("certificate.pem");
    port = servers.startTlsServer(certificate, tls.resolve("key.pem"),
        "user default off",
        "user hoard on >" + PASSWORD + " ~hoard-tls:* &* +@all");
  }

  private static String url(String credentials, String parameters) {
    return "rediss://" + credentials + "@127.0.0.1:" + port + "/0?prefix=hoard-tls:&" + parameters;
  }

  @Override
  protected CacheStore openStore(ManualClock clock) {
    // A TLS handshake can take seconds on a loaded machine: past the 2 s default timeout.
    return Caches.openStore(url("hoard:" + PASSWORD, "cacert=" + certificate + "&timeout=10s"),
        clock);
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }

  @Test
  public void descriptionAndErrorsNeverShowThePassword() {
    assertThat(store.description()).contains("rediss://hoard:****@127.0.0.1").doesNotContain(PASSWORD);
    assertThatThrownBy(() -> Caches.openStore(url("hoard:wrong-" + PASSWORD, "cacert=" + certificate), clock))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  public void theAclUserCannotLeaveItsKeyPattern() {
    String elsewhere = url("hoard:" + PASSWORD, "cacert=" + certificate)
        .replace("prefix=hoard-tls:", "prefix=other:");
    try (CacheStore outside = Caches.openStore(elsewhere, clock)) {
      assertThatThrownBy(() -> outside.put("k", bytes("v"), CacheStore.NEVER))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("put 'k'")
          .hasMessageContaining("NOPERM");
    }
  }

  @Test
  public void anUntrustedCertificateIsRefusedUnlessVerificationIsOff() {
    assertThatThrownBy(() -> Caches.openStore(url("hoard:" + PASSWORD, "timeout=5s"), clock))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("cannot connect to Redis at rediss://hoard:****@127.0.0.1:" + port);
    try (CacheStore unverified = Caches.openStore(url("hoard:" + PASSWORD, "verifyPeer=none"), clock)) {
      unverified.put("k", bytes("v"), CacheStore.NEVER);
      assertThat(text(store.get("k"))).isEqualTo("v");
    }
  }
}
