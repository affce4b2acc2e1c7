package dev.hoard.bench;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JCache {@code get} hits through Hoard's JSR-107 provider on memory, side by side with Caffeine's
 * own provider ({@code com.github.ben-manes.caffeine:jcache}), each with a default {@code
 * MutableConfiguration} (store by value, eternal, no statistics) and {@code String} keys and
 * values; Caffeine's also bounded to Hoard's size, since Hoard's memory store always is. Both providers are on the class path, so each is asked for by class name.
 *
 * <pre>
 * ./mvnw -B -o -q -pl hoard-bench -am package -DskipTests
 * java -jar hoard-bench/target/benchmarks.jar JCacheBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class JCacheBenchmark {

  private static final int KEYS = 1 << 13;
  private static final int MASK = KEYS - 1;

  /**
   * Which provider to measure: Hoard's (whose memory store is always bounded), Caffeine's with
   * its defaults (unbounded), and Caffeine's bounded like Hoard's.
   */
  @Param({"hoard", "caffeine", "caffeineBounded"})
  public String provider;

  private CacheManager manager;
  private Cache<String, String> cache;
  private String[] keys;

  @Setup
  public void setUp() {
    if (provider.equals("hoard")) {
      manager = Caching.getCachingProvider("dev.hoard.jcache.HoardCachingProvider")
          .getCacheManager(URI.create("memory://?maximumSize=" + 4 * KEYS), null);
    } else {
      manager = Caching.getCachingProvider(
          "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider").getCacheManager();
    }
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    if (provider.equals("caffeineBounded")) {
      CaffeineConfiguration<String, String> bounded = new CaffeineConfiguration<>(configuration);
      bounded.setMaximumSize(OptionalLong.of(4 * KEYS));
      cache = manager.createCache("bench", bounded);
    } else {
      cache = manager.createCache("bench", configuration);
    }
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user:" + i;
      cache.put(keys[i], "value-" + i);
    }
  }

  @TearDown
  public void tearDown() {
    manager.close();
  }

  @Benchmark
  public String getHit(KeyCursor cursor) {
    return cache.get(keys[cursor.advance(MASK)]);
  }
}
