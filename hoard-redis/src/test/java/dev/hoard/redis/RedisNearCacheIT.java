package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.Invalidation;
import dev.hoard.cache.spi.InvalidationBus;
import dev.hoard.cache.tiered.TieredCacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Near caches in front of Redis, each store with its own Lettuce client and connections, as two
 * processes would have: invalidations over pub/sub, L1 flushed when the subscription drops or the
 * server restarts, and the measured delay of an invalidation. On a private redis-server so that
 * killing clients and the server disturbs nobody.
 */
class RedisNearCacheIT {

  private static final Duration LONG_L1 = Duration.ofMinutes(10);
  @RegisterExtension
  static final PrivateRedis server = PrivateRedis.server();

  private static final AtomicInteger prefixes = new AtomicInteger();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final String prefix = "near" + prefixes.incrementAndGet() + ":";

  @AfterEach
  void closeStores() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  /** A near cache from a URL, with an L1 lifetime long enough that only messages can drop copies. */
  private TieredCacheStore nearCache(int serverPort) {
    CacheStore store = Caches.openStore("redis://127.0.0.1:" + serverPort + "/0?prefix=" + prefix
        + "&near=1000&nearTtl=10m", Clock.systemUTC());
    opened.add(store);
    assertThat(store).isInstanceOf(TieredCacheStore.class);
    return (TieredCacheStore) store;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String text(Object stored) {
    return stored == null ? null : new String((byte[]) stored, UTF_8);
  }

  /**
   * Reads the key until a second read is an L1 hit, so it is held locally. Retried because the
   * message of an earlier write may still be on its way and drop the first copy.
   */
  private static void holdInL1(TieredCacheStore store, String key, String expected) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(text(store.get(key))).isEqualTo(expected);
      long hits = store.tierStatistics().l1Hits();
      assertThat(text(store.get(key))).isEqualTo(expected);
      assertThat(store.tierStatistics().l1Hits()).as("second read of %s from L1", key)
          .isEqualTo(hits + 1);
    });
  }

  @Test
  void aWriteOrDeleteInOneStoreRemovesTheKeyFromTheOthersL1() {
    TieredCacheStore a = nearCache(server.port());
    TieredCacheStore b = nearCache(server.port());
    a.put("k", bytes("v1"), CacheStore.NEVER);
    holdInL1(b, "k", "v1");

    a.put("k", bytes("v2"), CacheStore.NEVER);
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(text(b.get("k"))));

    holdInL1(b, "k", "v2");
    a.delete("k");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.get("k") == null);

    a.put("n", bytes("1"), CacheStore.NEVER);
    holdInL1(b, "n", "1");
    a.increment("n", 5, CacheStore.NEVER);
    await().atMost(Duration.ofSeconds(5)).until(() -> "6".equals(text(b.get("n"))));

    a.put("user:1", bytes("ann"), CacheStore.NEVER);
    holdInL1(b, "user:1", "ann");
    a.deleteMatching(Glob.of("user:*"));
    await().atMost(Duration.ofSeconds(5)).until(() -> b.get("user:1") == null);

    b.put("x", bytes("from b"), CacheStore.NEVER);
    holdInL1(a, "x", "from b");
    b.clear();
    await().atMost(Duration.ofSeconds(5)).until(() -> a.get("x") == null);
    assertThat(a.tierStatistics().invalidationsReceived()).isGreaterThanOrEqualTo(1);
    assertThat(b.tierStatistics().invalidationsReceived()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void theCacheApiOnANearCacheUrlSeesAnotherProcesssWrite() {
    String url =
        "redis://127.0.0.1:" + server.port() + "/0?prefix=" + prefix + "&near=100&nearTtl=10m";
    try (Cache a = Caches.open(url); Cache b = Caches.open(url)) {
      a.put("user:1", "ann");
      assertThat(b.get("user:1", String.class)).isEqualTo("ann");
      a.put("user:1", "bob");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> "bob".equals(b.get("user:1", String.class)));
    }
  }

  @Test
  void nearCacheHitsShareTheDecodedObjectUnlessToldToCopy() {
    String url =
        "redis://127.0.0.1:" + server.port() + "/0?prefix=" + prefix + "&near=100&nearTtl=10m";
    try (Cache sharing = Caches.open(url);
        Cache copying = Caches.open(url + "&nearShareDecoded=false")) {
      sharing.put("users", List.of("ann", "bob"));
      Object first = sharing.get("users", List.class);
      assertThat(sharing.get("users", List.class)).isSameAs(first).isEqualTo(List.of("ann", "bob"));
      Object copy = copying.get("users", List.class);
      assertThat(copying.get("users", List.class)).isNotSameAs(copy).isEqualTo(copy);

      copying.put("users", List.of("cy"));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> List.of("cy").equals(sharing.get("users", List.class)));
    }
    assertThatThrownBy(() -> Caches.openStore(
        "redis://127.0.0.1:" + server.port() + "/0?nearShareDecoded=false", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nearShareDecoded' needs 'near'");
  }

  @Test
  void aKilledSubscriberConnectionFlushesL1() {
    TieredCacheStore b = nearCache(server.port());
    b.put("k", bytes("v1"), CacheStore.NEVER);
    holdInL1(b, "k", "v1");
    // A write that announces nothing, as a lost message would leave it: L1 is stale now.
    server.cli("set", prefix + "k", "v2");
    assertThat(text(b.get("k"))).isEqualTo("v1");

    long flushes = b.tierStatistics().l1Flushes();
    server.cli("client", "kill", "type", "pubsub");

    // Flushed once when the loss is noticed and once when the subscription is back.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> b.tierStatistics().l1Flushes() >= flushes + 2);
    holdInL1(b, "k", "v2");
  }

  @Test
  void aRestartedServerFlushesL1() {
    int throwaway = server.servers().startServer();
    TieredCacheStore a = nearCache(throwaway);
    TieredCacheStore b = nearCache(throwaway);
    a.put("k", bytes("v1"), CacheStore.NEVER);
    holdInL1(b, "k", "v1");
    long flushes = b.tierStatistics().l1Flushes();

    server.servers().kill(throwaway);
    server.servers().restart(throwaway);

    await().atMost(Duration.ofSeconds(10))
        .until(() -> b.tierStatistics().l1Flushes() >= flushes + 2);
    // The restarted server is empty; L1 must not answer with what the old one had.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> b.get("k") == null);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> {
          a.put("k", bytes("v2"), CacheStore.NEVER);
          return true;
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(text(b.get("k"))));
  }

  @Test
  void aBuilderWiresANearCacheOnTheStoresOwnBus() {
    RedisCacheStore redis = (RedisCacheStore) Caches.openStore(
        "redis://127.0.0.1:" + server.port() + "/0?prefix=" + prefix, Clock.systemUTC());
    TieredCacheStore near = TieredCacheStore.builder()
        .l2(redis).bus(redis.invalidationBus()).l1MaxTtl(LONG_L1).build();
    opened.add(near);
    TieredCacheStore other = nearCache(server.port());
    assertThat(redis.invalidationBus()).isSameAs(redis.invalidationBus());
    assertThat(redis.invalidationBus().channel())
        .isEqualTo(RedisInvalidationBus.CHANNEL_PREFIX + prefix);
    assertThat(redis.invalidationBus().isConnected()).isTrue();

    other.put("k", bytes("v1"), CacheStore.NEVER);
    holdInL1(near, "k", "v1");
    other.put("k", bytes("v2"), CacheStore.NEVER);
    await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(text(near.get("k"))));
  }

  @Test
  void anUnreadableMessageFlushesL1() {
    TieredCacheStore b = nearCache(server.port());
    b.put("k", bytes("v1"), CacheStore.NEVER);
    holdInL1(b, "k", "v1");
    long flushes = b.tierStatistics().l1Flushes();
    server.cli("publish", RedisInvalidationBus.CHANNEL_PREFIX + prefix, "not a message");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> b.tierStatistics().l1Flushes() == flushes + 1);
  }

  @Test
  void nearParametersAreChecked() {
    String url = "redis://127.0.0.1:" + server.port() + "/0?prefix=" + prefix;
    assertThatThrownBy(() -> Caches.openStore(url + "&nearTtl=5s", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nearTtl' needs 'near'");
    assertThatThrownBy(() -> Caches.openStore(url + "&near=lots", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'near'");
    assertThatThrownBy(() -> Caches.openStore(url + "&near=10&nearTtl=0s", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
    try (CacheStore plain = Caches.openStore(url, Clock.systemUTC())) {
      assertThat(plain).isInstanceOf(RedisCacheStore.class);
    }
  }

  /**
   * How long after {@code put} returns in one store the other store's L1 has dropped the key.
   * Printed, not asserted: timings on a shared two-core machine say nothing about correctness.
   */
  @Test
  void invalidationDelayIsMeasuredAndReported() throws InterruptedException {
    TieredCacheStore writer = nearCache(server.port());
    RedisCacheStore redis = (RedisCacheStore) Caches.openStore(
        "redis://127.0.0.1:" + server.port() + "/0?prefix=" + prefix, Clock.systemUTC());
    TieredCacheStore reader = TieredCacheStore.builder()
        .l2(redis).bus(redis.invalidationBus()).l1MaxTtl(LONG_L1).build();
    opened.add(reader);
    BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
    // Subscribed after the near cache, so it runs once the near cache has dropped its copy.
    redis.invalidationBus().subscribe(new InvalidationBus.Listener() {
      @Override
      public void invalidated(Invalidation invalidation) {
        if (invalidation.origin().equals(writer.origin())) {
          arrivals.add(System.nanoTime());
        }
      }

      @Override
      public void connectionLost() {}

      @Override
      public void reconnected() {}
    });

    int warmUp = 200;
    int samples = 2000;
    List<Long> delays = new ArrayList<>(samples);
    for (int i = 0; i < warmUp + samples; i++) {
      writer.put("k", bytes("v" + i), CacheStore.NEVER);
      long acknowledged = System.nanoTime();
      Long arrived = arrivals.poll(5, TimeUnit.SECONDS);
      assertThat(arrived).as("invalidation %s reached the other store", i).isNotNull();
      if (i >= warmUp) {
        delays.add(arrived - acknowledged);
      }
    }
    assertThat(text(reader.get("k"))).isEqualTo("v" + (warmUp + samples - 1));
    Collections.sort(delays);
    System.out.printf("near-cache invalidation delay after put() returned, over %d writes"
            + " (redis-server on loopback port %d): p50=%dus p99=%dus max=%dus%n", samples,
        server.port(), delays.get(samples / 2) / 1000, delays.get(samples * 99 / 100) / 1000,
        delays.get(samples - 1) / 1000);
  }
}
