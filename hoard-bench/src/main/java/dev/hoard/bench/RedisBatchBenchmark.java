package dev.hoard.bench;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Reading 100 keys: Hoard's {@code getAll} (one {@code MGET}) against 100 single gets, and raw
 * Lettuce's {@code mget} against 100 sync gets, on one caller; counts batches of 100. Run as
 * {@link RedisCacheBenchmark} says.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@Threads(1)
@State(Scope.Benchmark)
public class RedisBatchBenchmark {

  private static final int BATCH = 100;
  private static final Duration TTL = Duration.ofHours(1);

  /** Which client to measure. */
  @Param({"hoard", "lettuce"})
  public String impl;

  private List<String> keys;
  private String[] keyArray;
  private Cache hoard;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> sync;

  @Setup(Level.Trial)
  public void connect() {
    keys = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      keys.add((impl.equals("hoard") ? "" : BenchServers.PREFIX + "batch:") + "user:" + i);
    }
    keyArray = keys.toArray(String[]::new);
    if (impl.equals("hoard")) {
      hoard = Caches.open(BenchServers.redis("prefix=" + BenchServers.PREFIX + "hoard-batch:"));
      keys.forEach(key -> hoard.put(key, "value-" + key, TTL));
    } else {
      client = RedisClient.create(BenchServers.redis());
      connection = client.connect();
      sync = connection.sync();
      keys.forEach(key -> sync.setex(key, TTL.toSeconds(), "value-" + key));
    }
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    if (hoard != null) {
      hoard.clear();
      hoard.close();
    } else {
      sync.del(keyArray);
      connection.close();
      client.shutdown();
    }
  }

  @Benchmark
  public Object getAll100() {
    if (hoard != null) {
      Map<String, String> found = hoard.getAll(keys, String.class);
      return found;
    }
    List<KeyValue<String, String>> found = sync.mget(keyArray);
    return found;
  }

  @Benchmark
  public void get100OneByOne(Blackhole blackhole) {
    for (String key : keyArray) {
      blackhole.consume(hoard != null ? hoard.get(key, String.class) : sync.get(key));
    }
  }
}
