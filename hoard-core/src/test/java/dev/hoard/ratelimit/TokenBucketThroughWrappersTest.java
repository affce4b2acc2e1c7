package dev.hoard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.resilience.ResilientCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.cache.tiered.LocalInvalidationBus;
import dev.hoard.cache.tiered.TieredCacheStore;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The wrappers report the capabilities of the store they wrap, GCRA included, so they must also
 * run its token buckets: on L2 for a tiered store, through the breaker for a resilient one.
 */
class TokenBucketThroughWrappersTest {

  private final ManualClock clock = new ManualClock();
  private final MemoryCacheStore memory = MemoryCacheStore.builder().clock(clock).build();

  @Test
  void aTieredStoreRunsTheBucketOnItsSecondLevel() {
    MemoryCacheStore bytes = MemoryCacheStore.builder().clock(clock).copyValues().build();
    CacheStore tiered = TieredCacheStore.builder().l2(bytes).bus(new LocalInvalidationBus())
        .build();

    assertThat(tiered.capabilities()).contains(StoreCapability.GCRA);
    assertSpendsItsBurstOfTwo(tiered);
    try (Stream<String> state = bytes.keys(Glob.of("ratelimit:*"))) {
      assertThat(state).isNotEmpty();
    }
  }

  @Test
  void aResilientStoreRunsTheBucketOnItsPrimary() {
    CacheStore resilient = ResilientCacheStore.builder(memory).build();

    assertThat(resilient.capabilities()).contains(StoreCapability.GCRA);
    assertSpendsItsBurstOfTwo(resilient);
  }

  @Test
  void aFailingStoreLetsRequestsThroughWhenFailingOpenAndReportsItWhenStrict() {
    BreakableStore breakable = new BreakableStore(memory);
    CacheStore failOpen = ResilientCacheStore.builder(breakable).mode(FailureMode.FAIL_OPEN)
        .trialExecutor(Runnable::run).build();
    CacheStore strict = ResilientCacheStore.builder(breakable).mode(FailureMode.STRICT)
        .trialExecutor(Runnable::run).build();
    RateLimiter open = bucket(failOpen);
    RateLimiter closed = bucket(strict);
    breakable.breakDown();

    for (int i = 0; i < 5; i++) {
      assertThat(open.tryAcquire("alice").allowed()).isTrue();
    }
    assertThatThrownBy(() -> closed.tryAcquire("alice")).isInstanceOf(CacheException.class);
  }

  private void assertSpendsItsBurstOfTwo(CacheStore store) {
    RateLimiter limiter = bucket(store);
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
    assertThat(limiter.tryAcquire("alice").allowed()).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
  }

  private static RateLimiter bucket(CacheStore store) {
    return RateLimiter.builder(store).name("wrapped").algorithm(RateLimitAlgorithm.TOKEN_BUCKET)
        .limit(2).per(Duration.ofMinutes(1)).build();
  }
}
