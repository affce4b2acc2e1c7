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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One keyed rate-limit decision in process: Hoard's limiters on the memory store against Bucket4j
 * buckets kept per key in a {@link ConcurrentHashMap} (how Bucket4j is used locally for many
 * clients). Both answer with the remaining permits, as the headers need. The limit is high enough
 * that every request is allowed, so the hot path is measured, not the refusal.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class RateLimiterBenchmark {

  private static final int KEYS = 1 << 10;
  private static final int MASK = KEYS - 1;
  private static final long LIMIT = 1_000_000_000L;
  private static final Duration PERIOD = Duration.ofSeconds(1);

  /** Which implementation to measure. */
  @Param({"hoardTokenBucket", "hoardSlidingWindow", "hoardFixedWindow", "bucket4j"})
  public String impl;

  private String[] keys;
  private RateLimiter hoard;
  private ConcurrentHashMap<String, Bucket> buckets;

  @Setup(Level.Trial)
  public void setUp() {
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "203.0.113." + i;
    }
    MemoryCacheStore store = MemoryCacheStore.builder().maximumSize(8L * KEYS).build();
    switch (impl) {
      case "hoardTokenBucket" -> hoard = hoard(store, RateLimitAlgorithm.TOKEN_BUCKET);
      case "hoardSlidingWindow" -> hoard = hoard(store, RateLimitAlgorithm.SLIDING_WINDOW);
      case "hoardFixedWindow" -> hoard = hoard(store, RateLimitAlgorithm.FIXED_WINDOW);
      case "bucket4j" -> buckets = new ConcurrentHashMap<>();
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  private static RateLimiter hoard(MemoryCacheStore store, RateLimitAlgorithm algorithm) {
    return RateLimiter.builder(store).name("bench").algorithm(algorithm)
        .limit(LIMIT).per(PERIOD).build();
  }

  private static Bucket newBucket(String key) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(LIMIT).refillGreedy(LIMIT, PERIOD))
        .build();
  }

  /** Each thread walks the keys from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = (int) (Thread.currentThread().getId() * 7919);
  }

  @Benchmark
  @Threads(1)
  public long tryAcquire1Thread(Cursor cursor) {
    return acquire(keys[cursor.next++ & MASK]);
  }

  @Benchmark
  @Threads(2)
  public long tryAcquire2Threads(Cursor cursor) {
    return acquire(keys[cursor.next++ & MASK]);
  }

  private long acquire(String key) {
    if (hoard != null) {
      RateLimitDecision decision = hoard.tryAcquire(key);
      return decision.allowed() ? decision.remaining() : -1;
    }
    ConsumptionProbe probe =
        buckets.computeIfAbsent(key, RateLimiterBenchmark::newBucket).tryConsumeAndReturnRemaining(1);
    return probe.isConsumed() ? probe.getRemainingTokens() : -1;
  }
}
