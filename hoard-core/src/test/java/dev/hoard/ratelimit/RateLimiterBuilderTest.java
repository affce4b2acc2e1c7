package dev.hoard.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.memory.MemoryCacheStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterBuilderTest {

  private final MemoryCacheStore store = MemoryCacheStore.builder().build();

  @Test
  void slidingWindowIsTheDefaultAndTheBurstOfATokenBucketIsTheLimit() {
    RateLimiter sliding = RateLimiter.builder(store).limit(5).per(Duration.ofSeconds(1)).build();
    assertThat(sliding.policy().algorithm()).isEqualTo(RateLimitAlgorithm.SLIDING_WINDOW);
    RateLimiter bucket = RateLimiter.builder(store).algorithm(RateLimitAlgorithm.TOKEN_BUCKET)
        .limit(5).per(Duration.ofSeconds(1)).build();
    assertThat(bucket.policy().burst()).isEqualTo(5);
    assertThat(bucket.policy().quota()).isEqualTo(5);
    assertThat(bucket.policy()).hasToString("default: 5 per PT1S (token bucket, burst 5)");
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> RateLimiter.builder(store).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(".limit(100).per(");
    assertThatThrownBy(() -> RateLimiter.builder(store).limit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    assertThatThrownBy(() -> RateLimiter.builder(store).per(Duration.ofNanos(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1ms");
    assertThatThrownBy(() -> RateLimiter.builder(store).limit(5).per(Duration.ofSeconds(1))
        .burst(10).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("only to TOKEN_BUCKET");
    assertThatThrownBy(() -> RateLimiter.builder(store).name(""))
        .isInstanceOf(IllegalArgumentException.class);
    RateLimiter limiter = RateLimiter.builder(store).limit(5).per(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> limiter.tryAcquire(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> limiter.tryAcquire("k", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
  }
}
