package dev.hoard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.metrics.CacheMetrics;
import dev.hoard.redis.testing.RedisServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a Redis store reports about itself, on a private server whose keys the test alone owns. */
class RedisStoreReportIT {

  private static RedisServers servers;
  private static int port;

  private final ManualClock clock = new ManualClock();
  private CacheStore store;
  private CacheStore neighbour;
  private Cache cache;

  @BeforeAll
  static void startServer() {
    servers = new RedisServers();
    port = servers.startServer();
  }

  @AfterAll
  static void stopServer() {
    if (servers != null) {
      servers.close();
    }
  }

  @BeforeEach
  void open() {
    servers.cli(port, "flushall");
    store = Caches.openStore("redis://127.0.0.1:" + port + "/0?prefix=app:", clock);
    neighbour = Caches.openStore("redis://127.0.0.1:" + port + "/0?prefix=other:", clock);
    cache = Cache.builder(store).name("app").build();
  }

  @AfterEach
  void close() {
    store.close();
    neighbour.close();
  }

  @Test
  void counts_its_own_prefix_and_reports_the_servers_memory_and_keys() {
    for (int i = 0; i < 3; i++) {
      cache.put("k" + i, "v");
    }
    neighbour.put("n", new byte[] {1}, CacheStore.NEVER);

    assertThat(cache.stats().size()).isEqualTo(3);
    StoreReport report = cache.storeReport();
    assertThat(report.value("hoard.redis.db.keys", Map.of())).isEqualTo(4);
    assertThat(report.value("hoard.redis.memory.used", Map.of())).isGreaterThan(100_000);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CacheMetrics.monitor(registry, cache);
    assertThat(registry.get("cache.size").tag("cache", "app").gauge().value()).isEqualTo(3);
    assertThat(registry.get("hoard.redis.memory.used").tag("cache", "app").gauge().value())
        .isGreaterThan(100_000);
  }

  @Test
  void a_database_too_big_to_scan_is_not_counted() {
    cache.put("mine", "v");
    servers.cli(port, "eval", "for i = 1, " + RedisCacheStore.COUNTED_DATABASE_KEYS
        + " do redis.call('set', 'other:' .. i, 'x') end", "0");

    StoreReport report = cache.storeReport();
    assertThat(report.size()).isEqualTo(-1);
    assertThat(report.value("hoard.redis.db.keys", Map.of()))
        .isEqualTo(RedisCacheStore.COUNTED_DATABASE_KEYS + 1);
    assertThat(cache.stats().size()).isEqualTo(-1);
  }
}
