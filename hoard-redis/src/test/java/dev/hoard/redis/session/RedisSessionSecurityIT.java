package dev.hoard.redis.session;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.testing.TestUrls;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionSecurityContract;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The fixation and encryption guarantees on the shared Redis, its hashes read with HGETALL. */
class RedisSessionSecurityIT extends SessionSecurityContract {

  private static final String URL = TestUrls.withUniquePrefix(
      TestUrls.sharedServer(), RedisSessionSecurityIT.class);

  @AfterAll
  static void clearThePrefix() {
    try (CacheStore keys = Caches.openStore(URL, Clock.systemUTC())) {
      keys.clear();
    }
  }

  @Override
  protected SessionStore openStore(ManualClock clock) {
    return RedisSessionStores.open(URL, clock);
  }

  @Override
  protected List<byte[]> storedBytes(SessionStore store, String key) {
    String prefix = ((RedisSessionStore) store).prefix();
    RedisClient client = RedisClient.create(TestUrls.sharedServer());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> redis = connection.sync();
      List<byte[]> bytes = new ArrayList<>();
      for (byte[] stored : redis.keys(prefix + "*" + key + "*")) {
        if (redis.type(stored).equals("hash")) {
          for (Map.Entry<byte[], byte[]> field : redis.hgetall(stored).entrySet()) {
            bytes.add(field.getKey());
            bytes.add(field.getValue());
          }
        }
      }
      return bytes;
    } finally {
      client.shutdown();
    }
  }
}
