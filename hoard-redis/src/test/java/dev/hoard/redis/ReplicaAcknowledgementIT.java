package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.redis.session.RedisSessionStoreProvider;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code replicas=N}: writes of the cache and session stores wait ({@code WAIT}) for N replicas
 * and fail when a replica does not answer, on a private master and replica the test freezes.
 */
class ReplicaAcknowledgementIT {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.server();

  private static int master;
  private static int replica;

  @BeforeAll
  static void startReplica() {
    master = redis.port();
    replica = redis.servers().startServer("replicaof 127.0.0.1 " + master);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> redis.servers().cli(replica, "info", "replication")
            .contains("master_link_status:up"));
  }

  private static String url(String parameters) {
    return "redis://127.0.0.1:" + master + "/0?timeout=2s&" + parameters;
  }

  @Test
  void anAcknowledgedCacheWriteIsOnTheReplicaWhenItReturns() {
    try (CacheStore store = Caches.openStore(url("prefix=wait1:&replicas=1"), Clock.systemUTC())) {
      for (int i = 0; i < 20; i++) {
        store.put("k" + i, ("v" + i).getBytes(UTF_8), CacheStore.NEVER);
        assertThat(redis.servers().cli(replica, "get", "wait1:k" + i).trim()).isEqualTo("v" + i);
      }
      store.putAll(Map.of("a", "1".getBytes(UTF_8), "b", "2".getBytes(UTF_8)), CacheStore.NEVER);
      assertThat(store.deleteAll(List.of("a", "b", "missing"))).isEqualTo(2);
      assertThat(redis.servers().cli(replica, "exists", "wait1:a").trim()).isEqualTo("0");
    }
  }

  @Test
  void writesFailWhenTheReplicaDoesNotAcknowledgeAndSucceedWithoutReplicas() {
    try (CacheStore waiting = Caches.openStore(url("prefix=wait2:&replicas=1"), Clock.systemUTC());
        CacheStore plain = Caches.openStore(url("prefix=wait2:"), Clock.systemUTC());
        SessionStore sessions = (SessionStore) new RedisSessionStoreProvider().open(
            StoreUrl.parse(url("prefix=wait2:session:&replicas=1")), Clock.systemUTC())) {
      Instant now = Instant.now();
      SessionRecord record = new SessionRecord(
          "s1", now, now, now.plusSeconds(600), null, Map.of("a", "1".getBytes(UTF_8)));
      redis.servers().freeze(replica);
      try {
        assertThatThrownBy(() -> waiting.put("k", "v".getBytes(UTF_8), CacheStore.NEVER))
            .isInstanceOf(CacheException.class)
            .hasMessageContaining("only 0 of 1 replicas");
        assertThatThrownBy(() -> waiting.put("k3", "v".getBytes(UTF_8), CacheStore.NEVER))
            .isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> sessions.create(record))
            .isInstanceOf(SessionException.class)
            .hasMessageContaining("replicas");
        plain.put("k2", "v".getBytes(UTF_8), CacheStore.NEVER);
      } finally {
        redis.servers().thaw(replica);
      }
      // The master kept the write that was not acknowledged: WAIT cannot undo it.
      assertThat(new String((byte[]) plain.get("k3"), UTF_8)).isEqualTo("v");
      assertThat(new String((byte[]) plain.get("k2"), UTF_8)).isEqualTo("v");
    }
  }

  @Test
  void onAClusterTheAcknowledgementIsAskedOfTheKeysOwnMaster() {
    try (RedisServers cluster = new RedisServers()) {
      String seeds = cluster.startCluster(3, 1, Duration.ofSeconds(5));
      try (CacheStore store = Caches.openStore(
          seeds + "?prefix=wait3:&timeout=2s&replicas=1", Clock.systemUTC())) {
        for (int i = 0; i < 50; i++) {
          store.put("k" + i, "v".getBytes(UTF_8), CacheStore.NEVER);
          assertThat(store.delete("k" + i)).isTrue();
        }
      }
      try (CacheStore store = Caches.openStore(
          seeds + "?prefix=wait3:&timeout=2s&replicas=2", Clock.systemUTC())) {
        assertThatThrownBy(() -> store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER))
            .isInstanceOf(CacheException.class)
            .hasMessageContaining("only 1 of 2 replicas");
      }
    }
  }
}
