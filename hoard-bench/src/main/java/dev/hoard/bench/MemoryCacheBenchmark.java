package dev.hoard.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hoard.cache.Cache;
import dev.hoard.cache.memory.MemoryCacheStore;
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
 * Get-hit and put on the memory store through the public {@link Cache} API, side by side with
 * raw Caffeine (size bound only, and size bound plus expireAfterWrite, which is what Hoard's
 * per-entry TTL has to match) and a plain {@link ConcurrentHashMap}, on 1 and 2 threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class MemoryCacheBenchmark {

  private static final int KEYS = 1 << 13;
  private static final int MASK = KEYS - 1;
  private static final Duration TTL = Duration.ofHours(1);

  /** Which implementation to measure. */
  @Param({"hoard", "caffeine", "caffeineWithTtl", "caffeineVariable", "concurrentHashMap"})
  public String impl;

  private String[] keys;
  private String[] values;
  private Cache hoard;
  private com.github.benmanes.caffeine.cache.Cache<String, String> caffeine;
  private ConcurrentHashMap<String, String> map;

  @Setup(Level.Trial)
  public void fill() {
    keys = new String[KEYS];
    values = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      values[i] = "value-" + i;
    }
    switch (impl) {
      case "hoard" -> hoard = Cache.builder(
          MemoryCacheStore.builder().maximumSize(4L * KEYS).build()).defaultTtl(TTL).build();
      case "caffeine" -> caffeine = Caffeine.newBuilder().maximumSize(4L * KEYS).build();
      case "caffeineWithTtl" -> caffeine = Caffeine.newBuilder()
          .maximumSize(4L * KEYS).expireAfterWrite(TTL).build();
      case "caffeineVariable" -> caffeine = Caffeine.newBuilder()
          .maximumSize(4L * KEYS)
          .expireAfter(com.github.benmanes.caffeine.cache.Expiry.<String, String>creating((k, v) -> TTL))
          .build();
      case "concurrentHashMap" -> map = new ConcurrentHashMap<>();
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    }
    for (int i = 0; i < KEYS; i++) {
      put(keys[i], values[i]);
    }
  }

  /** Each thread walks the keys from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = (int) (Thread.currentThread().getId() * 7919);

    int advance() {
      return next++ & MASK;
    }
  }

  private String get(String key) {
    return switch (impl) {
      case "hoard" -> hoard.get(key, String.class);
      case "caffeine", "caffeineWithTtl", "caffeineVariable" -> caffeine.getIfPresent(key);
      default -> map.get(key);
    };
  }

  private void put(String key, String value) {
    switch (impl) {
      case "hoard" -> hoard.put(key, value, TTL);
      case "caffeine", "caffeineWithTtl", "caffeineVariable" -> caffeine.put(key, value);
      default -> map.put(key, value);
    }
  }

  @Benchmark
  @Threads(1)
  public String getHit1Thread(Cursor cursor) {
    return get(keys[cursor.advance()]);
  }

  @Benchmark
  @Threads(2)
  public String getHit2Threads(Cursor cursor) {
    return get(keys[cursor.advance()]);
  }

  @Benchmark
  @Threads(1)
  public void put1Thread(Cursor cursor) {
    int i = cursor.advance();
    put(keys[i], values[i]);
  }

  @Benchmark
  @Threads(2)
  public void put2Threads(Cursor cursor) {
    int i = cursor.advance();
    put(keys[i], values[i]);
  }
}
