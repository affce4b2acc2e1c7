package dev.hoard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.cache.tiered.TieredCacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.TestUrls;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract on a real three-master Redis Cluster this test starts on loopback. */
class ClusterRedisContractIT extends CacheStoreContract {

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.cluster(3);

  private static String url;

  @BeforeAll
  static void startCluster() {
    url = TestUrls.withUniquePrefix(redis.url(), ClusterRedisContractIT.class);
  }

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(url, clock);
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }

  /** Pub/sub invalidations reach a near cache whichever node either side is connected to. */
  @Test
  void nearCachesOnTheClusterInvalidateEachOther() {
    String near = url + "&near=100&nearTtl=10m";
    try (TieredCacheStore a = (TieredCacheStore) Caches.openStore(near, Clock.systemUTC());
        TieredCacheStore b = (TieredCacheStore) Caches.openStore(near, Clock.systemUTC())) {
      for (String key : List.of("k1", "k2", "k3")) {
        a.put(key, bytes("v1"), CacheStore.NEVER);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
          assertThat(text(b.get(key))).isEqualTo("v1");
          long hits = b.tierStatistics().l1Hits();
          assertThat(text(b.get(key))).isEqualTo("v1");
          assertThat(b.tierStatistics().l1Hits()).isEqualTo(hits + 1);
        });
        a.put(key, bytes("v2"), CacheStore.NEVER);
        await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(text(b.get(key))));
      }
    }
  }
}
