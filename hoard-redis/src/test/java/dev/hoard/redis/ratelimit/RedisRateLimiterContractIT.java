package dev.hoard.redis.ratelimit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.Caches;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.ratelimit.testing.GcraStoreContract;
import dev.hoard.redis.testing.TestUrls;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rate limiters on the shared Redis server, the token bucket as a Lua script. */
class RedisRateLimiterContractIT extends GcraStoreContract {

  private static final String URL =
      TestUrls.withUniquePrefix(TestUrls.sharedServer(), RedisRateLimiterContractIT.class);

  @Override
  protected CacheStore openStore(ManualClock clock) {
    return Caches.openStore(URL, clock);
  }

  @Test
  void aKeyHoldingAnotherValueIsReportedNotOverwritten() {
    RateLimiter limiter = RateLimiter.builder(store).name(name)
        .algorithm(RateLimitAlgorithm.TOKEN_BUCKET).limit(1).per(Duration.ofMinutes(1)).build();
    store.put("ratelimit:" + name + ":taken", "not a timestamp".getBytes(UTF_8), CacheStore.NEVER);
    assertThatThrownBy(() -> limiter.tryAcquire("taken"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds another value");
  }
}
