package dev.hoard.bench;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One keyed rate-limit decision in process: Hoard's limiters on the memory store against Bucket4j
 * buckets kept per key in a {@link ConcurrentHashMap} (how Bucket4j is used locally for many
 * clients). Both answer with the remaining permits, as the headers need. The limit is high enough
 * that every request is allowed, so the hot path is measured, not the refusal.
 *
 * <p>Each group runs Hoard and Bucket4j at the same time, one thread each, so that both see the
 * same machine: on a shared two-core box, numbers taken one after the other swing with the load of
 * the moment, while the ratio inside a group holds.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RateLimiterBenchmark {

  private static final int KEYS = 1 << 10;
  private static final int MASK = KEYS - 1;
  private static final long LIMIT = 1_000_000_000L;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  /** The limiters of one group, shared by its two threads (on separate keys). */
  @State(Scope.Group)
  public static class Limiters {
    String[] hoardKeys;
    String[] bucketKeys;
    RateLimiter tokenBucket;
    RateLimiter fixedWindow;
    RateLimiter slidingWindow;
    ConcurrentHashMap<String, Bucket> buckets;

    @Setup(Level.Trial)
    public void setUp() {
      hoardKeys = new String[KEYS];
      bucketKeys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        hoardKeys[i] = "203.0.113." + i;
        bucketKeys[i] = "198.51.100." + i;
      }
      MemoryCacheStore store = MemoryCacheStore.builder().maximumSize(8L * KEYS).build();
      tokenBucket = hoard(store, RateLimitAlgorithm.TOKEN_BUCKET);
      fixedWindow = hoard(store, RateLimitAlgorithm.FIXED_WINDOW);
      slidingWindow = hoard(store, RateLimitAlgorithm.SLIDING_WINDOW);
      buckets = new ConcurrentHashMap<>();
    }

    private static RateLimiter hoard(MemoryCacheStore store, RateLimitAlgorithm algorithm) {
      return RateLimiter.builder(store).name(algorithm.name()).algorithm(algorithm)
          .limit(LIMIT).per(PERIOD).build();
    }

    long hoard(RateLimiter limiter, KeyCursor cursor) {
      RateLimitDecision decision = limiter.tryAcquire(hoardKeys[cursor.advance(MASK)]);
      return decision.allowed() ? decision.remaining() : -1;
    }

    long bucket4j(KeyCursor cursor) {
      ConsumptionProbe probe = buckets
          .computeIfAbsent(bucketKeys[cursor.advance(MASK)], Limiters::newBucket)
          .tryConsumeAndReturnRemaining(1);
      return probe.isConsumed() ? probe.getRemainingTokens() : -1;
    }

    private static Bucket newBucket(String key) {
      return Bucket.builder()
          .addLimit(limit -> limit.capacity(LIMIT).refillGreedy(LIMIT, PERIOD))
          .build();
    }
  }

  @Benchmark
  @Group("tokenBucket")
  @GroupThreads(1)
  public long tokenBucketHoard(Limiters limiters, KeyCursor cursor) {
    return limiters.hoard(limiters.tokenBucket, cursor);
  }

  @Benchmark
  @Group("tokenBucket")
  @GroupThreads(1)
  public long tokenBucketBucket4j(Limiters limiters, KeyCursor cursor) {
    return limiters.bucket4j(cursor);
  }

  @Benchmark
  @Group("fixedWindow")
  @GroupThreads(1)
  public long fixedWindowHoard(Limiters limiters, KeyCursor cursor) {
    return limiters.hoard(limiters.fixedWindow, cursor);
  }

  @Benchmark
  @Group("fixedWindow")
  @GroupThreads(1)
  public long fixedWindowBucket4j(Limiters limiters, KeyCursor cursor) {
    return limiters.bucket4j(cursor);
  }

  @Benchmark
  @Group("slidingWindow")
  @GroupThreads(1)
  public long slidingWindowHoard(Limiters limiters, KeyCursor cursor) {
    return limiters.hoard(limiters.slidingWindow, cursor);
  }

  @Benchmark
  @Group("slidingWindow")
  @GroupThreads(1)
  public long slidingWindowBucket4j(Limiters limiters, KeyCursor cursor) {
    return limiters.bucket4j(cursor);
  }
}
