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
 * Get-hit (keys in sequence, and at random) and put on the memory store through the public {@link
 * Cache} API, side by side with
 * raw Caffeine (size bound only, and size bound plus expireAfterWrite, which is what Hoard's
 * per-entry TTL has to match) and a plain {@link ConcurrentHashMap}, on 1 and 2 threads.
 *
 * <p>A put reads the clock once (the expiry is absolute) and raw Caffeine without expiry never
 * does, so on a machine with a slow clock the put ratio mostly measures the clock: where the
 * kernel marked the TSC unstable (kvm-clock), {@code System.currentTimeMillis()} costs 40-100 ns,
 * more than a whole Caffeine put. {@code caffeineWithTtl} pays a clock read per call too.
 *
 * <p>Run all of it in one JMH run, or, on a shared machine whose load swings within minutes,
 * as paired rounds (see {@link PairedRuns}), which is how the ratios in the report were taken:
 *
 * <pre>
 * ./mvnw -B -o -q -pl hoard-bench -am package -DskipTests
 * java -jar hoard-bench/target/benchmarks.jar MemoryCacheBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.PairedRuns \
 *     'MemoryCacheBenchmark' impl hoard caffeine,caffeineWithTtl,concurrentHashMap 5
 * </pre>
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
  private Target target;

  /**
   * One implementation behind one call site. A fork measures one parameter value, so only one
   * class implements this in it and the JIT inlines the call: nothing is measured but the
   * implementation itself.
   */
  private interface Target {
    String get(String key);

    void put(String key, String value);
  }

  private static final class HoardTarget implements Target {
    private final Cache cache = Cache.builder(
        MemoryCacheStore.builder().maximumSize(4L * KEYS).build()).defaultTtl(TTL).build();

    @Override
    public String get(String key) {
      return cache.get(key, String.class);
    }

    @Override
    public void put(String key, String value) {
      cache.put(key, value, TTL);
    }
  }

  private static final class CaffeineTarget implements Target {
    private final com.github.benmanes.caffeine.cache.Cache<String, String> cache;

    CaffeineTarget(Caffeine<? super String, ? super String> builder) {
      this.cache = builder.maximumSize(4L * KEYS).build();
    }

    @Override
    public String get(String key) {
      return cache.getIfPresent(key);
    }

    @Override
    public void put(String key, String value) {
      cache.put(key, value);
    }
  }

  private static final class MapTarget implements Target {
    private final ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();

    @Override
    public String get(String key) {
      return map.get(key);
    }

    @Override
    public void put(String key, String value) {
      map.put(key, value);
    }
  }

  @Setup(Level.Trial)
  public void fill() {
    keys = new String[KEYS];
    values = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      values[i] = "value-" + i;
    }
    target = switch (impl) {
      case "hoard" -> new HoardTarget();
      case "caffeine" -> new CaffeineTarget(Caffeine.newBuilder());
      case "caffeineWithTtl" -> new CaffeineTarget(Caffeine.newBuilder().expireAfterWrite(TTL));
      case "caffeineVariable" -> new CaffeineTarget(Caffeine.newBuilder()
          .expireAfter(com.github.benmanes.caffeine.cache.Expiry.<String, String>creating((k, v) -> TTL)));
      case "concurrentHashMap" -> new MapTarget();
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    };
    for (int i = 0; i < KEYS; i++) {
      target.put(keys[i], values[i]);
    }
  }

  private String get(String key) {
    return target.get(key);
  }

  private void put(String key, String value) {
    target.put(key, value);
  }

  @Benchmark
  @Threads(1)
  public String getHit1Thread(KeyCursor cursor) {
    return get(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(2)
  public String getHit2Threads(KeyCursor cursor) {
    return get(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(1)
  public String getHitRandom1Thread(KeyCursor cursor) {
    return get(keys[cursor.random(MASK)]);
  }

  @Benchmark
  @Threads(2)
  public String getHitRandom2Threads(KeyCursor cursor) {
    return get(keys[cursor.random(MASK)]);
  }

  @Benchmark
  @Threads(1)
  public void put1Thread(KeyCursor cursor) {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }

  @Benchmark
  @Threads(2)
  public void put2Threads(KeyCursor cursor) {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }
}
