package dev.hoard.redis;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.CacheStoreContract;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.RedisServers;
import dev.hoard.redis.testing.TestUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real three-master Redis Cluster this test starts on loopback. */
class ClusterRedisContractTest extends CacheStoreContract {

  private static RedisServers servers;
  private static String url;

  @BeforeAll
  static void startCluster() {
    servers = new RedisServers();
    url = TestUrls.withUniquePrefix(servers.startCluster(3), ClusterRedisContractTest.class);
  }

  @AfterAll
  static void stopCluster() {
    if (servers != null) {
      servers.close();
    }
  }

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(url, clock);
  }

  @Override
  protected boolean serverKeepsTime() {
    return true;
  }
}
