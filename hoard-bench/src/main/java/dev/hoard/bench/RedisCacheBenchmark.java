package dev.hoard.bench;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Get-hit and put on Redis through Hoard's {@link Cache} (JSON values, fail-open wrapper, one
 * shared Lettuce connection) side by side with raw Lettuce on one connection, sync and async
 * ({@code get(k).get()}), with 1 and 16 callers, plus 16 gets in flight from one caller (Hoard's
 * {@code async()} against Lettuce's async API).
 *
 * <p>Run against one server, with {@code redis-benchmark} on the same server as the ceiling:
 *
 * <pre>
 * redis-server --port 6390 --save '' --appendonly no --daemonize yes
 * ./mvnw -B -pl hoard-bench -am package -DskipTests
 * java -Dhoard.bench.redis=redis://127.0.0.1:6390/0 -jar hoard-bench/target/benchmarks.jar \
 *     'RedisCacheBenchmark|RedisBatchBenchmark|NearCacheBenchmark' -prof gc
 * redis-benchmark -p 6390 -q -t get,set -n 100000
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class RedisCacheBenchmark {

  static final int KEYS = 1024;
  private static final int MASK = KEYS - 1;
  private static final Duration TTL = Duration.ofHours(1);
  private static final int FAN_OUT = 16;

  /** Which client to measure. */
  @Param({"hoard", "lettuceSync", "lettuceAsync"})
  public String impl;

  private String[] keys;
  private String[] values;
  private Cache hoard;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;
  private RedisAsyncCommands<String, String> async;

  @Setup(Level.Trial)
  public void connect() {
    keys = new String[KEYS];
    values = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      values[i] = "value-" + i;
    }
    if (impl.equals("hoard")) {
      hoard = Caches.open(BenchServers.redis("prefix=" + BenchServers.PREFIX + "hoard:"));
      for (int i = 0; i < KEYS; i++) {
        hoard.put(keys[i], values[i], TTL);
      }
    } else {
      client = RedisClient.create(BenchServers.redis());
      connection = client.connect();
      sync = connection.sync();
      async = connection.async();
      for (int i = 0; i < KEYS; i++) {
        keys[i] = BenchServers.PREFIX + "lettuce:" + keys[i];
        sync.setex(keys[i], TTL.toSeconds(), values[i]);
      }
    }
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    if (hoard != null) {
      hoard.clear();
      hoard.close();
    } else {
      sync.del(keys);
      connection.close();
      client.shutdown();
    }
  }

  private String get(String key) throws Exception {
    return switch (impl) {
      case "hoard" -> hoard.get(key, String.class);
      case "lettuceSync" -> sync.get(key);
      default -> async.get(key).get();
    };
  }

  private void put(String key, String value) throws Exception {
    switch (impl) {
      case "hoard" -> hoard.put(key, value, TTL);
      case "lettuceSync" -> sync.setex(key, TTL.toSeconds(), value);
      default -> async.setex(key, TTL.toSeconds(), value).get();
    }
  }

  @Benchmark
  @Threads(1)
  public String get1Caller(KeyCursor cursor) throws Exception {
    return get(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(16)
  public String get16Callers(KeyCursor cursor) throws Exception {
    return get(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(1)
  public void put1Caller(KeyCursor cursor) throws Exception {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }

  @Benchmark
  @Threads(16)
  public void put16Callers(KeyCursor cursor) throws Exception {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }

  /**
   * One caller with 16 gets in flight; counts batches. Sync Lettuce has no way to overlap them
   * and runs the 16 one after another.
   */
  @Benchmark
  @Threads(1)
  public void get16InFlight(KeyCursor cursor, Blackhole blackhole) throws Exception {
    getInFlight(FAN_OUT, cursor, blackhole);
  }

  /** One caller with 1,000 gets in flight (the batch of a fan-out service); counts batches. */
  @Benchmark
  @Threads(1)
  public void get1000InFlight(KeyCursor cursor, Blackhole blackhole) throws Exception {
    getInFlight(1_000, cursor, blackhole);
  }

  private void getInFlight(int count, KeyCursor cursor, Blackhole blackhole) throws Exception {
    if (impl.equals("lettuceSync")) {
      for (int i = 0; i < count; i++) {
        blackhole.consume(sync.get(keys[cursor.advance(MASK)]));
      }
      return;
    }
    CompletableFuture<?>[] gets = new CompletableFuture<?>[count];
    for (int i = 0; i < count; i++) {
      String key = keys[cursor.advance(MASK)];
      gets[i] = impl.equals("hoard")
          ? hoard.async().get(key, String.class)
          : async.get(key).toCompletableFuture();
    }
    CompletableFuture.allOf(gets).get();
    blackhole.consume(gets);
  }
}
