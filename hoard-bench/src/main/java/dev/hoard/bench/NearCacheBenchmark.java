package dev.hoard.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.tiered.TieredCacheStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An L1 hit of the Redis near cache ({@code near=…}) against raw Caffeine, on 1 and 2 threads:
 *
 * <ul>
 *   <li>{@code tieredStore}: {@link TieredCacheStore#get}, the bytes L1 holds, against {@code
 *       caffeineBytes}, a Caffeine cache of the same bytes with expireAfterWrite;
 *   <li>{@code tieredCache}: the {@link Cache} API over it, which decodes the JSON value on every
 *       hit, against {@code caffeineObjects}, a Caffeine cache of the decoded strings.
 * </ul>
 *
 * <p>Run as {@link RedisCacheBenchmark} says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class NearCacheBenchmark {

  private static final int KEYS = 1024;
  private static final int MASK = KEYS - 1;
  private static final Duration TTL = Duration.ofHours(1);

  /** Which implementation to measure. */
  @Param({"tieredStore", "caffeineBytes", "tieredCache", "caffeineObjects"})
  public String impl;

  private String[] keys;
  private CacheStore store;
  private Cache cache;
  private com.github.benmanes.caffeine.cache.Cache<String, Object> caffeine;

  @Setup(Level.Trial)
  public void fill() {
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
    }
    String url = BenchServers.redis(
        "prefix=" + BenchServers.PREFIX + "near:&near=" + (4 * KEYS) + "&nearTtl=1h");
    switch (impl) {
      case "tieredStore" -> {
        store = Caches.openStore(url, Clock.systemUTC());
        long expiresAt = System.currentTimeMillis() + TTL.toMillis();
        for (String key : keys) {
          store.put(key, ("\"value-" + key + "\"").getBytes(StandardCharsets.UTF_8), expiresAt);
        }
      }
      case "tieredCache" -> {
        cache = Caches.open(url);
        for (String key : keys) {
          cache.put(key, "value-" + key, TTL);
        }
      }
      default -> {
        caffeine = Caffeine.newBuilder().maximumSize(4L * KEYS).expireAfterWrite(TTL).build();
        for (String key : keys) {
          caffeine.put(key, impl.equals("caffeineBytes")
              ? ("\"value-" + key + "\"").getBytes(StandardCharsets.UTF_8)
              : "value-" + key);
        }
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.clear();
      store.close();
    }
    if (cache != null) {
      cache.clear();
      cache.close();
    }
  }

  private Object get(String key) {
    return switch (impl) {
      case "tieredStore" -> store.get(key);
      case "tieredCache" -> cache.get(key, String.class);
      default -> caffeine.getIfPresent(key);
    };
  }

  @Benchmark
  @Threads(1)
  public Object l1Hit1Thread(KeyCursor cursor) {
    return get(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(2)
  public Object l1Hit2Threads(KeyCursor cursor) {
    return get(keys[cursor.advance(MASK)]);
  }
}
