package dev.hoard.ratelimit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The behaviour of {@link RateLimiter} on every store. A backend's test extends this and says how
 * to open a store on a clock. This suite covers the window algorithms, which run on every store,
 * and checks that a store without {@link StoreCapability#GCRA} refuses a token bucket
 * clearly; stores with it extend {@link GcraStoreContract} instead.
 *
 * <p>The clock starts on the next whole hour, so windows line up with the test's steps and the
 * clock is never behind a server's own (Redis expires keys by its clock). Periods are minutes
 * long, so a slow test run cannot outlive a server-side expiry while the injected clock stands.
 */
public abstract class RateLimiterContract {

  private static final long HOUR = 3_600_000;

  protected ManualClock clock;
  protected CacheStore store;
  protected String name;

  /** Opens a store on {@code clock} that shares nothing with other tests. */
  protected abstract CacheStore openStore(ManualClock clock);

  @BeforeEach
  void openFreshStore() {
    clock = new ManualClock((System.currentTimeMillis() / HOUR + 1) * HOUR);
    store = openStore(clock);
    name = "contract-" + UUID.randomUUID();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected RateLimiter limiter(RateLimitAlgorithm algorithm, long limit, Duration period) {
    return RateLimiter.builder(store).name(name).algorithm(algorithm)
        .limit(limit).per(period).build();
  }

  @Test
  void fixedWindowAllowsTheLimitThenRefusesUntilTheWindowEnds() {
    RateLimiter limiter = limiter(RateLimitAlgorithm.FIXED_WINDOW, 3, Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(20));
    for (int remaining = 2; remaining >= 0; remaining--) {
      RateLimitDecision decision = limiter.tryAcquire("client");
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.remaining()).isEqualTo(remaining);
      assertThat(decision.limit()).isEqualTo(3);
      assertThat(decision.resetAfter()).isEqualTo(Duration.ofSeconds(40));
    }
    RateLimitDecision refused = limiter.tryAcquire("client");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(40));
    assertThat(refused.retryAfterSeconds()).isEqualTo(40);
    assertThat(limiter.tryAcquire("other client").allowed()).isTrue();

    clock.advance(Duration.ofSeconds(40).minusMillis(1));
    assertThat(limiter.tryAcquire("client").allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("client").remaining()).isEqualTo(2);
  }

  @Test
  void fixedWindowLetsTwiceTheLimitThroughAcrossABoundaryButSlidingWindowDoesNot() {
    RateLimiter fixed = limiter(RateLimitAlgorithm.FIXED_WINDOW, 4, Duration.ofMinutes(1));
    RateLimiter sliding = RateLimiter.builder(store).name(name + "-sliding")
        .algorithm(RateLimitAlgorithm.SLIDING_WINDOW).limit(4).per(Duration.ofMinutes(1)).build();
    clock.advance(Duration.ofSeconds(59));
    assertThat(allowedOf(fixed, "k", 10)).isEqualTo(4);
    assertThat(allowedOf(sliding, "k", 10)).isEqualTo(4);
    clock.advance(Duration.ofSeconds(2));
    assertThat(allowedOf(fixed, "k", 10)).isEqualTo(4);
    // 4 × 59/60 of the last window still counts: nothing fits yet.
    assertThat(allowedOf(sliding, "k", 10)).isZero();
  }

  @Test
  void slidingWindowWeighsThePreviousWindowByItsOverlap() {
    RateLimiter limiter = limiter(RateLimitAlgorithm.SLIDING_WINDOW, 10, Duration.ofMinutes(1));
    assertThat(allowedOf(limiter, "k", 15)).isEqualTo(10);
    // Halfway through the next window the previous ten weigh five.
    clock.advance(Duration.ofSeconds(90));
    assertThat(allowedOf(limiter, "k", 4)).isEqualTo(4);
    RateLimitDecision last = limiter.tryAcquire("k");
    assertThat(last.allowed()).isTrue();
    assertThat(last.remaining()).isZero();
    RateLimitDecision refused = limiter.tryAcquire("k");
    assertThat(refused.allowed()).isFalse();
    // 10 × (60 − e)/60 + 6 ≤ 10 once e ≥ 36s: six seconds from now.
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    clock.advance(Duration.ofSeconds(6).minusMillis(1));
    assertThat(limiter.tryAcquire("k").allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("k").allowed()).isTrue();
  }

  @Test
  void slidingWindowRetryAfterReachesIntoTheNextWindowWhenThisOneIsFull() {
    RateLimiter limiter = limiter(RateLimitAlgorithm.SLIDING_WINDOW, 4, Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(30));
    assertThat(allowedOf(limiter, "k", 4)).isEqualTo(4);
    RateLimitDecision refused = limiter.tryAcquire("k", 2);
    assertThat(refused.allowed()).isFalse();
    // Next window: 4 × (60 − e)/60 + 2 ≤ 4 once e ≥ 30s; 30s to the boundary plus 30s.
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    clock.advance(refused.retryAfter().minusMillis(1));
    assertThat(limiter.tryAcquire("k", 2).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryAcquire("k", 2).allowed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = RateLimitAlgorithm.class, names = {"FIXED_WINDOW", "SLIDING_WINDOW"})
  void refusedRequestsDoNotUseUpTheLimit(RateLimitAlgorithm algorithm) {
    RateLimiter limiter = limiter(algorithm, 5, Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire("k", 4).allowed()).isTrue();
    assertThat(limiter.tryAcquire("k", 3).allowed()).isFalse();
    assertThat(limiter.tryAcquire("k", 2).allowed()).isFalse();
    RateLimitDecision last = limiter.tryAcquire("k", 1);
    assertThat(last.allowed()).isTrue();
    assertThat(last.remaining()).isZero();
  }

  @ParameterizedTest
  @EnumSource(value = RateLimitAlgorithm.class, names = {"FIXED_WINDOW", "SLIDING_WINDOW"})
  void sixteenThreadsGetExactlyTheLimit(RateLimitAlgorithm algorithm) throws Exception {
    assertThat(allowedOfSixteenThreads(limiter(algorithm, 500, Duration.ofMinutes(10)))).isEqualTo(500);
  }

  /** Runs 1600 attempts on 16 threads against one key; returns how many were allowed. */
  protected static int allowedOfSixteenThreads(RateLimiter limiter) throws Exception {
    AtomicInteger allowed = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 100; i++) {
            if (limiter.tryAcquire("shared").allowed()) {
              allowed.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(limiter.tryAcquire("shared").allowed()).isFalse();
    return allowed.get();
  }

  @Test
  void limitersWithDifferentNamesKeepSeparateCounts() {
    RateLimiter first = limiter(RateLimitAlgorithm.FIXED_WINDOW, 1, Duration.ofMinutes(1));
    RateLimiter second = RateLimiter.builder(store).name(name + "-2")
        .algorithm(RateLimitAlgorithm.FIXED_WINDOW).limit(1).per(Duration.ofMinutes(1)).build();
    assertThat(first.tryAcquire("k").allowed()).isTrue();
    assertThat(first.tryAcquire("k").allowed()).isFalse();
    assertThat(second.tryAcquire("k").allowed()).isTrue();
  }

  protected static int allowedOf(RateLimiter limiter, String key, int attempts) {
    int allowed = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(key).allowed()) {
        allowed++;
      }
    }
    return allowed;
  }
  @Test
  void tokenBucketIsBuiltOnlyOnStoresThatRunItAtomically() {
    if (store.capabilities().contains(StoreCapability.GCRA)) {
      assertThat(limiter(RateLimitAlgorithm.TOKEN_BUCKET, 1, Duration.ofMinutes(1)).policy().burst())
          .isEqualTo(1);
      return;
    }
    assertThatThrownBy(() -> limiter(RateLimitAlgorithm.TOKEN_BUCKET, 1, Duration.ofMinutes(1)))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining(store.description())
        .hasMessageContaining("FIXED_WINDOW or SLIDING_WINDOW");
  }
}
