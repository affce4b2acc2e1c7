package dev.hoard.bench;

import com.spotify.folsom.MemcacheClient;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import dev.hoard.cache.Cache;
import dev.hoard.codec.Codecs;
import dev.hoard.memcached.MemcachedCacheStore;
import java.time.Duration;
import java.util.UUID;
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
 * Get-hit and put of a 100-character string on one memcached server: Hoard's memcached store
 * through the public {@link Cache} API (UTF-8 codec, and the default JSON codec) versus folsom
 * alone, configured as Hoard configures it (binary protocol, one connection, no retry, 1 s
 * request timeout), on 1 and 4 threads. Every call waits for its reply, as a servlet thread would.
 *
 * <p>Hoard's side includes everything a user gets: key checks, the namespace version (read at
 * most once a second), the 10-byte expiry header, the fail-open circuit breaker and the codec.
 *
 * <p>Run, with memcached on 127.0.0.1:11211 ({@code scripts/services}) —
 * the second command runs paired rounds ({@link PairedRuns}); the reported ratios were taken so.
 *
 * <pre>
 * ./mvnw -B -o -q -pl hoard-bench -am package -DskipTests
 * java -jar hoard-bench/target/benchmarks.jar MemcachedCacheBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.PairedRuns \
 *     'MemcachedCacheBenchmark' impl hoard folsom,hoardJson 3
 * </pre>
 *
 * <p>{@code -Dhoard.bench.memcached=host:port} (a JVM option for the forks: {@code -jvmArgsAppend})
 * points it at another server.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class MemcachedCacheBenchmark {

  private static final int KEYS = 1 << 10;
  private static final int MASK = KEYS - 1;
  private static final Duration TTL = Duration.ofHours(1);
  private static final int TTL_SECONDS = (int) TTL.toSeconds();

  /** Which client to measure. */
  @Param({"hoard", "hoardJson", "folsom"})
  public String impl;

  private String[] keys;
  private String[] values;
  private Cache hoard;
  private MemcacheClient<String> folsom;

  @Setup(Level.Trial)
  public void connect() throws Exception {
    String server = BenchServers.memcached();
    String prefix = "hoard-bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    keys = new String[KEYS];
    values = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      values[i] = ("value-" + i + "-").repeat(20).substring(0, 100);
    }
    if (impl.equals("folsom")) {
      folsom = folsomClient(server);
      for (int i = 0; i < KEYS; i++) {
        keys[i] = prefix + keys[i];
      }
    } else {
      MemcachedCacheStore store = MemcachedCacheStore.builder().server(server).prefix(prefix)
          .build();
      hoard = Cache.builder(store).codec(impl.equals("hoard") ? Codecs.utf8() : Codecs.json())
          .defaultTtl(TTL).build();
    }
    for (int i = 0; i < KEYS; i++) {
      put(keys[i], values[i]);
    }
  }

  // The same builder calls as hoard-memcached's FolsomConnection.
  @SuppressWarnings("deprecation")
  private static MemcacheClient<String> folsomClient(String server) throws Exception {
    int colon = server.lastIndexOf(':');
    MemcacheClient<String> client = MemcacheClientBuilder.newStringClient()
        .withAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)))
        .withRequestTimeoutMillis(1000)
        .withConnectionTimeoutMillis(5000)
        .withConnections(1)
        .withRetry(false)
        .connectBinary();
    client.awaitFullyConnected(5, TimeUnit.SECONDS);
    return client;
  }

  @TearDown(Level.Trial)
  public void close() {
    if (hoard != null) {
      hoard.clear();
      hoard.close();
    }
    if (folsom != null) {
      folsom.shutdown();
    }
  }

  private String get(String key) throws Exception {
    if (hoard != null) {
      return hoard.get(key, String.class);
    }
    return folsom.get(key).toCompletableFuture().get(3, TimeUnit.SECONDS);
  }

  private void put(String key, String value) throws Exception {
    if (hoard != null) {
      hoard.put(key, value, TTL);
      return;
    }
    MemcacheStatus status =
        folsom.set(key, value, TTL_SECONDS).toCompletableFuture().get(3, TimeUnit.SECONDS);
    if (status != MemcacheStatus.OK) {
      throw new IllegalStateException("folsom set of " + key + ": " + status);
    }
  }

  private String hit(String key) throws Exception {
    String value = get(key);
    if (value == null) {
      throw new IllegalStateException(impl + " missed " + key + "; the benchmark measures hits");
    }
    return value;
  }

  @Benchmark
  @Threads(1)
  public String getHit1Thread(KeyCursor cursor) throws Exception {
    return hit(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(4)
  public String getHit4Threads(KeyCursor cursor) throws Exception {
    return hit(keys[cursor.advance(MASK)]);
  }

  @Benchmark
  @Threads(1)
  public void put1Thread(KeyCursor cursor) throws Exception {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }

  @Benchmark
  @Threads(4)
  public void put4Threads(KeyCursor cursor) throws Exception {
    int i = cursor.advance(MASK);
    put(keys[i], values[i]);
  }
}
