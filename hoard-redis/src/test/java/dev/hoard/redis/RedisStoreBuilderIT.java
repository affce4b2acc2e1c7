package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.session.RedisSessionStore;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.redis.testing.TestUrls;
import dev.hoard.session.SessionException;
import dev.hoard.session.spi.SessionRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stores built on a Lettuce client the application owns, which outlives them. */
class RedisStoreBuilderIT {

  private final ManualClock clock = new ManualClock();
  private final String prefix = "hoard-test:RedisStoreBuilderIT:" + UUID.randomUUID() + ":";

  @Test
  void aCacheStoreOnTheApplicationsClientLeavesItRunningWhenClosed() {
    RedisClient client = RedisClient.create(TestUrls.sharedServer());
    try {
      try (RedisCacheStore store = RedisCacheStore.builder(client).prefix(prefix).clock(clock)
          .timeout(Duration.ofSeconds(5)).build()) {
        store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
        assertThat((byte[]) store.get("k")).isEqualTo("v".getBytes(UTF_8));
        assertThat(store.description()).contains(prefix).doesNotContain("null");
        // Pub/sub goes through the same client, on its own URI.
        await().atMost(Duration.ofSeconds(10)).until(() -> store.invalidationBus().isConnected());
        store.clear();
      }
      assertClientStillWorks(client);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aSessionStoreOnTheApplicationsClientLeavesItRunningWhenClosed() {
    RedisClient client = RedisClient.create(TestUrls.sharedServer());
    try {
      try (RedisSessionStore store = RedisSessionStore.builder(client).prefix(prefix).clock(clock)
          .build()) {
        Instant now = clock.instant();
        store.create(new SessionRecord("builder-session", now, now, now.plus(Duration.ofHours(1)),
            null, Map.of()));
        assertThat(store.load("builder-session", now)).isNotNull();
        assertThat(store.prefix()).isEqualTo(prefix);
        store.delete("builder-session");
      }
      assertClientStillWorks(client);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aStoreOnTheApplicationsClusterClientLeavesItRunningWhenClosed() {
    try (RedisServers servers = new RedisServers()) {
      String seeds = servers.startCluster(3).replace("redis-cluster://", "redis://");
      RedisClusterClient client = RedisClusterClient.create(seeds.split(",")[0]);
      try {
        try (RedisCacheStore store = RedisCacheStore.builder(client).prefix(prefix).clock(clock)
            .build()) {
          store.putAll(Map.of("a", "1".getBytes(UTF_8), "b", "2".getBytes(UTF_8)),
              CacheStore.NEVER);
          assertThat(store.getAll(java.util.List.of("a", "b"))).hasSize(2);
        }
        try (var connection = client.connect()) {
          assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aClientWithoutAServerIsRefusedByName() {
    RedisClient client = RedisClient.create("redis://127.0.0.1:1");
    try {
      assertThatThrownBy(() -> RedisCacheStore.builder(client).build())
          .isInstanceOf(CacheException.class).hasMessageContaining("RedisClient");
      assertThatThrownBy(() -> RedisSessionStore.builder(client).build())
          .isInstanceOf(SessionException.class).hasMessageContaining("RedisClient");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void anEmptyPrefixIsRefused() {
    RedisClient client = RedisClient.create(TestUrls.sharedServer());
    try {
      assertThatThrownBy(() -> RedisCacheStore.builder(client).prefix(""))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    } finally {
      client.shutdown();
    }
  }

  private static void assertClientStillWorks(RedisClient client) {
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    }
  }
}
