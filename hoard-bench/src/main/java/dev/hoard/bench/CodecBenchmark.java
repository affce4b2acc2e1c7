package dev.hoard.bench;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import dev.hoard.codec.Compression;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Get-hit and put of a 10 KB JSON-shaped value on Redis through Hoard, per codec: JSON, Smile and
 * each with zstd or LZ4 compression. {@link #main} prints the bytes each one puts on the wire.
 *
 * <pre>
 * ./mvnw -B -pl hoard-bench -am package -DskipTests
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.CodecBenchmark      # bytes per codec
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.PairedRuns \
 *     'CodecBenchmark' codec json smile,json+zstd,json+lz4,smile+zstd 5
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBenchmark {

  /** A product page's worth of catalogue data: about 10 KB as JSON. */
  public record Item(long id, String name, String description, List<String> tags, double price,
      Instant updatedAt) {}

  /** The value every benchmark stores. */
  public record Catalogue(String title, List<Item> items) {}

  private static final Duration TTL = Duration.ofHours(1);
  private static final int KEYS = 64;

  /** The codec, and the compression after a {@code +}. */
  @Param({"json", "smile", "json+zstd", "json+lz4", "smile+zstd"})
  public String codec;

  private Cache cache;
  private Catalogue value;
  private String[] keys;

  static Catalogue catalogue() {
    Random random = new Random(10_240);
    String[] words = {"red", "linen", "shirt", "slim", "fit", "cotton", "summer", "classic",
        "blue", "washed", "button", "collar", "organic", "sleeve", "pocket", "casual"};
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      StringBuilder description = new StringBuilder();
      for (int w = 0; w < 25; w++) {
        description.append(words[random.nextInt(words.length)]).append(' ');
      }
      items.add(new Item(100_000 + i, words[random.nextInt(words.length)] + " " + i,
          description.toString().strip(),
          List.of(words[random.nextInt(words.length)], words[random.nextInt(words.length)]),
          random.nextInt(10_000) / 100.0, Instant.ofEpochSecond(1_760_000_000L + i)));
    }
    return new Catalogue("Shirts", items);
  }

  static Codec codecOf(String name) {
    String[] parts = name.split("\\+");
    Codec base = Codecs.named(parts[0]);
    return parts.length == 1
        ? base : Codecs.compressed(base, Compression.fromUrlValue(parts[1]), 1024);
  }

  @Setup(Level.Trial)
  public void connect() {
    String[] parts = codec.split("\\+");
    String parameters = "prefix=" + BenchServers.PREFIX + "codec:" + codec + ":&codec=" + parts[0]
        + (parts.length > 1 ? "&compress=" + parts[1] : "");
    cache = Caches.open(BenchServers.redis(parameters));
    value = catalogue();
    keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "catalogue:" + i;
      cache.put(keys[i], value, TTL);
    }
  }

  @TearDown(Level.Trial)
  public void disconnect() {
    cache.clear();
    cache.close();
  }

  @Benchmark
  @Threads(1)
  public Catalogue get(KeyCursor cursor) {
    return cache.get(keys[cursor.advance(KEYS - 1)], Catalogue.class);
  }

  @Benchmark
  @Threads(1)
  public void put(KeyCursor cursor) {
    cache.put(keys[cursor.advance(KEYS - 1)], value, TTL);
  }

  /** Prints the bytes each codec stores for the benchmark's value. */
  public static void main(String[] args) {
    Catalogue value = catalogue();
    int json = Codecs.json().encode(value).length;
    for (String name : List.of("json", "smile", "json+zstd", "json+lz4", "smile+zstd", "smile+lz4")) {
      int bytes = codecOf(name).encode(value).length;
      System.out.printf("%-11s %6d bytes  %5.2f of JSON%n", name, bytes, bytes / (double) json);
    }
  }
}
