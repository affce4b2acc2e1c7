package dev.hoard.ratelimit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RateLimiterContract} for stores with {@link StoreCapability#GCRA}: the window algorithms
 * plus the token bucket.
 */
public abstract class GcraStoreContract extends RateLimiterContract {

  @Test
  void storeDeclaresTheGcraCapability() {
    assertThat(store.capabilities()).contains(StoreCapability.GCRA);
  }

  @Test
  void tokenBucketSpendsItsBurstThenRefillsOnePermitPerInterval() {
    RateLimiter limiter = RateLimiter.builder(store).name(name)
        .algorithm(RateLimitAlgorithm.TOKEN_BUCKET)
        .limit(10).per(Duration.ofMinutes(10)).burst(3).build();
    for (int remaining = 2; remaining >= 0; remaining--) {
      RateLimitDecision decision = limiter.tryAcquire("k");
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.remaining()).isEqualTo(remaining);
      assertThat(decision.limit()).isEqualTo(3);
    }
    RateLimitDecision refused = limiter.tryAcquire("k");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(refused.resetAfter()).isEqualTo(Duration.ofMinutes(3));

    clock.advance(Duration.ofSeconds(59));
    assertThat(limiter.tryAcquire("k").allowed()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("k").allowed()).isTrue();
    assertThat(limiter.tryAcquire("k").allowed()).isFalse();

    // Idle for much longer than a refill of the whole bucket: still only the burst.
    clock.advance(Duration.ofMinutes(30));
    assertThat(allowedOf(limiter, "k", 10)).isEqualTo(3);
    assertThatThrownBy(() -> limiter.tryAcquire("k", 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and the limit 3");
  }

  /**
   * GCRA against the token bucket it stands for, kept as a plain level of credit: random waits and
   * random request sizes must get the same answers, remaining counts and waits.
   */
  @Test
  void tokenBucketAgreesWithAPlainBucketModel() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    long burst = 1 + random.nextInt(8);
    long limit = 1 + random.nextInt(10);
    Duration period = Duration.ofSeconds(60L * limit + random.nextInt(1000));
    RateLimiter limiter = RateLimiter.builder(store).name(name)
        .algorithm(RateLimitAlgorithm.TOKEN_BUCKET).limit(limit).per(period).burst(burst).build();
    long interval = -Math.floorDiv(-period.toNanos() / 1000, limit);
    long capacity = burst * interval;
    long level = capacity;
    for (int step = 0; step < 400; step++) {
      String where = "seed " + seed + ", step " + step;
      long waited = random.nextInt(4) == 0 ? 0 : random.nextInt((int) (interval / 1000 * 2));
      clock.advance(Duration.ofMillis(waited));
      level = Math.min(capacity, level + waited * 1000);
      long permits = 1 + random.nextInt((int) burst);
      RateLimitDecision decision = limiter.tryAcquire("k", permits);
      boolean fits = level >= permits * interval;
      assertThat(decision.allowed()).as(where).isEqualTo(fits);
      if (fits) {
        level -= permits * interval;
        assertThat(decision.retryAfter()).as(where).isZero();
      } else {
        assertThat(decision.retryAfter()).as(where)
            .isEqualTo(Duration.ofNanos((permits * interval - level) * 1000));
      }
      assertThat(decision.remaining()).as(where).isEqualTo(level / interval);
      assertThat(decision.resetAfter()).as(where).isEqualTo(Duration.ofNanos((capacity - level) * 1000));
    }
  }

  @Test
  void sixteenThreadsGetExactlyTheBurst() throws Exception {
    RateLimiter limiter = RateLimiter.builder(store).name(name)
        .algorithm(RateLimitAlgorithm.TOKEN_BUCKET).limit(10).per(Duration.ofMinutes(10))
        .burst(500).build();
    assertThat(allowedOfSixteenThreads(limiter)).isEqualTo(500);
  }
}
