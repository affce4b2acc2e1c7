package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.tiered.TieredCacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two near caches, each with its own Lettuce client as two processes would have, over a private
 * redis-server that the test freezes ({@code SIGSTOP}) or kills: a write that times out while
 * Redis is frozen is applied when it resumes, and the other near cache must stop serving its old
 * copy within a second of that, not when its L1 lifetime (ten minutes here) ends.
 */
class NearCacheOutageIT {

  private static final Duration AFTER_RECOVERY = Duration.ofSeconds(1);

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.server("appendonly yes", "appendfsync always");
  private RedisServers servers;
  private int port;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeEach
  void startServer() {
    servers = redis.servers();
    port = redis.port();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private TieredCacheStore nearCache() {
    CacheStore store = Caches.openStore("redis://127.0.0.1:" + port
        + "/0?prefix=outage-near:&timeout=1s&near=1000&nearTtl=10m", Clock.systemUTC());
    opened.add(store);
    return (TieredCacheStore) store;
  }

  @Test
  void writesThatTimedOutDuringAFreezeStillInvalidateTheOtherNearCache() {
    TieredCacheStore writer = nearCache();
    TieredCacheStore reader = nearCache();
    for (String key : List.of("put", "delete", "putAll", "increment", "touch")) {
      writer.put(key, bytes("old"), CacheStore.NEVER);
    }
    writer.increment("counter", 1, CacheStore.NEVER);
    List<String> keys = List.of("put", "delete", "putAll", "counter", "touch");
    keys.forEach(reader::get);
    long hitsBefore = reader.tierStatistics().l1Hits();
    keys.forEach(reader::get);
    assertThat(reader.tierStatistics().l1Hits()).as("the reader serves from L1")
        .isEqualTo(hitsBefore + keys.size());

    servers.freeze(port);
    try {
      assertThatThrownBy(() -> writer.put("put", bytes("new"), CacheStore.NEVER))
          .isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> writer.delete("delete")).isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> writer.putAll(Map.of("putAll", bytes("new")), CacheStore.NEVER))
          .isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> writer.increment("counter", 41, CacheStore.NEVER))
          .isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> writer.touch("touch", System.currentTimeMillis() + 1))
          .isInstanceOf(CacheException.class);
    } finally {
      servers.thaw(port);
    }

    await().atMost(AFTER_RECOVERY).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      assertThat(text(reader.get("put"))).isEqualTo("new");
      assertThat(reader.get("delete")).isNull();
      assertThat(text(reader.get("putAll"))).isEqualTo("new");
      assertThat(text(reader.get("counter"))).isEqualTo("42");
      assertThat(reader.get("touch")).isNull();
    });
    // and the writer's own L1 dropped them too
    assertThat(text(writer.get("put"))).isEqualTo("new");
    assertThat(writer.get("delete")).isNull();
  }

  @Test
  void afterAKillAndRestartTheOtherNearCacheSeesTheFirstWriteWithinASecond() {
    TieredCacheStore writer = nearCache();
    TieredCacheStore reader = nearCache();
    writer.put("key", bytes("before"), CacheStore.NEVER);
    assertThat(text(reader.get("key"))).isEqualTo("before");

    servers.kill(port);
    assertThatThrownBy(() -> writer.put("key", bytes("during"), CacheStore.NEVER))
        .isInstanceOf(CacheException.class);
    servers.restart(port);

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .ignoreExceptions().until(() -> {
          writer.put("key", bytes("after"), CacheStore.NEVER);
          return true;
        });
    await().atMost(AFTER_RECOVERY).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .untilAsserted(() -> assertThat(text(reader.get("key"))).isEqualTo("after"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String text(Object stored) {
    return stored == null ? null : new String((byte[]) stored, UTF_8);
  }
}
