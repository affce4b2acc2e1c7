package dev.hoard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;

/**
 * Runs every comparison the README reports — Hoard beside the library a user would pick instead —
 * and appends one line per comparison to a results file, from which {@link ReadmeTable} writes the
 * README's performance table.
 *
 * <p>Each comparison runs {@code rounds} times; a round is one JMH fork of each side (3 × 1 s
 * warm-up, 3 × 1 s measured), the two in alternating order, so that the load of a shared machine,
 * which swings within minutes, weighs on both sides alike. A round gives a ratio (Hoard's
 * throughput ÷ the reference's); the file keeps every round's ratio, their median (the figure) and
 * their lowest and highest (the error bar), the one-minute load average seen before each fork, the
 * machine and the date.
 *
 * <pre>
 * scripts/services                                  # Redis, memcached, PostgreSQL on loopback
 * ./mvnw -B -pl hoard-bench -am package -DskipTests
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.BenchmarkSuite [--rounds 5] [--only REGEX] [--results FILE]
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.ReadmeTable [--results FILE] [--readme README.md]
 * </pre>
 *
 * Servers are found as {@link BenchServers} says. The whole suite takes about half an hour with 5
 * rounds; {@code --only} takes a regex over the comparison ids, e.g. {@code 'memory-.*'}.
 */
public final class BenchmarkSuite {

  /** Where results go unless {@code --results} says otherwise. */
  static final Path DEFAULT_RESULTS = Path.of("hoard-bench", "results", "benchmarks.tsv");

  /** One side of a comparison: the benchmark methods a regex selects, with their parameters. */
  record Side(String include, Map<String, String> params) {}

  /** Hoard's side against a reference's, under an id the README table keeps its row by. */
  record Comparison(String id, String what, Side hoard, String reference, Side other) {}

  static List<Comparison> comparisons() {
    List<Comparison> all = new ArrayList<>();
    String memory = "MemoryCacheBenchmark\\.";
    for (String[] variant : new String[][] {
        {"getHit1Thread", "sequential keys, 1 thread"}, {"getHit2Threads", "sequential keys, 2 threads"},
        {"getHitRandom1Thread", "random keys, 1 thread"}, {"getHitRandom2Threads", "random keys, 2 threads"}}) {
      String id = "memory-" + variant[0];
      all.add(new Comparison(id, "memory get hit, " + variant[1],
          side(memory + variant[0], "impl", "hoard"), "raw Caffeine (no expiry, no stats)",
          side(memory + variant[0], "impl", "caffeine")));
      all.add(new Comparison(id + "-ttl", "memory get hit, " + variant[1],
          side(memory + variant[0], "impl", "hoard"), "Caffeine with expireAfterWrite",
          side(memory + variant[0], "impl", "caffeineWithTtl")));
    }
    all.add(new Comparison("memory-put1Thread", "memory put, 1 thread",
        side(memory + "put1Thread", "impl", "hoard"), "Caffeine with expireAfterWrite",
        side(memory + "put1Thread", "impl", "caffeineWithTtl")));
    String redis = "RedisCacheBenchmark\\.";
    for (String[] variant : new String[][] {
        {"get1Caller", "Redis get, 1 caller"}, {"get16Callers", "Redis get, 16 callers"},
        {"put1Caller", "Redis put, 1 caller"}, {"put16Callers", "Redis put, 16 callers"}}) {
      all.add(new Comparison("redis-" + variant[0], variant[1],
          side(redis + variant[0], "impl", "hoard"), "Lettuce sync",
          side(redis + variant[0], "impl", "lettuceSync")));
    }
    all.add(new Comparison("redis-get16InFlight", "Redis get, 16 in flight from 1 caller (async)",
        side(redis + "get16InFlight", "impl", "hoard"), "Lettuce async",
        side(redis + "get16InFlight", "impl", "lettuceAsync")));
    all.add(new Comparison("redis-get1000InFlight",
        "Redis get, 1,000 in flight from 1 caller (async)",
        side(redis + "get1000InFlight", "impl", "hoard"), "Lettuce async",
        side(redis + "get1000InFlight", "impl", "lettuceAsync")));
    all.add(new Comparison("redis-getAll100", "Redis getAll of 100 keys",
        side("RedisBatchBenchmark\\.getAll100", "impl", "hoard"), "Lettuce MGET",
        side("RedisBatchBenchmark\\.getAll100", "impl", "lettuce")));
    all.add(new Comparison("near-l1Hit1Thread", "near cache L1 hit, 1 thread",
        side("NearCacheBenchmark\\.l1Hit1Thread", "impl", "tieredCache"),
        "Caffeine holding the decoded objects",
        side("NearCacheBenchmark\\.l1Hit1Thread", "impl", "caffeineObjects")));
    for (String[] variant : new String[][] {
        {"getHit1Thread", "Memcached get, 1 thread"}, {"put1Thread", "Memcached put, 1 thread"}}) {
      all.add(new Comparison("memcached-" + variant[0], variant[1],
          side("MemcachedCacheBenchmark\\." + variant[0], "impl", "hoard"), "folsom",
          side("MemcachedCacheBenchmark\\." + variant[0], "impl", "folsom")));
    }
    for (String[] variant : new String[][] {
        {"getHit1Thread", "PostgreSQL get, 1 thread"}, {"put1Thread", "PostgreSQL put, 1 thread"}}) {
      all.add(new Comparison("postgres-" + variant[0], variant[1],
          side("JdbcCacheBenchmark\\." + variant[0], "impl", "hoard", "database", "postgresql"),
          "plain JDBC on the same pool",
          side("JdbcCacheBenchmark\\." + variant[0], "impl", "jdbc", "database", "postgresql")));
    }
    all.add(new Comparison("session-redis", "session load + change + save on Redis",
        side("SessionRoundTripBenchmark\\.hoardRedis"), "Spring Session (Redis)",
        side("SessionRoundTripBenchmark\\.springSessionRedis")));
    all.add(new Comparison("session-postgres", "session load + change + save on PostgreSQL",
        side("SessionRoundTripBenchmark\\.hoardPostgres"), "Spring Session (JDBC)",
        side("SessionRoundTripBenchmark\\.springSessionPostgres")));
    all.add(new Comparison("jcache-getHit", "JCache get hit on memory",
        side("JCacheBenchmark\\.getHit", "provider", "hoard"), "Caffeine's JCache provider",
        side("JCacheBenchmark\\.getHit", "provider", "caffeine")));
    for (String codec : List.of("smile", "json+zstd", "json+lz4")) {
      all.add(new Comparison("codec-get-" + codec, "Redis get of a 10 KB value, " + codec,
          side("CodecBenchmark\\.get", "codec", codec), "the same with JSON",
          side("CodecBenchmark\\.get", "codec", "json")));
    }
    return all;
  }

  private static Side side(String method, String... params) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < params.length; i += 2) {
      map.put(params[i], params[i + 1]);
    }
    return new Side("\\." + method + "$", map);
  }

  private BenchmarkSuite() {}

  /** See the class comment for the arguments. */
  public static void main(String[] args) {
    int rounds = 5;
    Pattern only = Pattern.compile(".*");
    Path results = DEFAULT_RESULTS;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        usage("missing value after " + args[i]);
      }
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--only" -> only = Pattern.compile(args[i + 1]);
        case "--results" -> results = Path.of(args[i + 1]);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (rounds < 3) {
      usage("--rounds must be at least 3: one round is not a figure");
    }
    List<Comparison> chosen = new ArrayList<>();
    for (Comparison comparison : comparisons()) {
      if (only.matcher(comparison.id()).matches()) {
        chosen.add(comparison);
      }
    }
    if (chosen.isEmpty()) {
      usage("--only " + only + " matches no comparison; ids: "
          + comparisons().stream().map(Comparison::id).toList());
    }
    String machine = Machine.describe();
    for (Comparison comparison : chosen) {
      Measured measured = measure(comparison, rounds);
      String line = String.join("\t", comparison.id(), comparison.what(), comparison.reference(),
          format(measured.median()), format(measured.low()), format(measured.high()),
          String.valueOf(rounds), format(measured.loadLow()) + "-" + format(measured.loadHigh()),
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), machine,
          Arrays.stream(measured.ratios()).mapToObj(BenchmarkSuite::format)
              .collect(Collectors.joining(",")));
      append(results, line);
      System.out.printf(Locale.ROOT, "%-28s %5s× [%s–%s] %s (load %s–%s)%n", comparison.id(),
          format(measured.median()), format(measured.low()), format(measured.high()),
          comparison.reference(), format(measured.loadLow()), format(measured.loadHigh()));
    }
  }

  /** Every round's ratio, sorted, and the load seen. */
  record Measured(double[] ratios, double loadLow, double loadHigh) {
    double median() {
      int n = ratios.length;
      return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }

    double low() {
      return ratios[0];
    }

    double high() {
      return ratios[ratios.length - 1];
    }
  }

  static Measured measure(Comparison comparison, int rounds) {
    double[] ratios = new double[rounds];
    double loadLow = Double.MAX_VALUE;
    double loadHigh = 0;
    for (int round = 0; round < rounds; round++) {
      boolean hoardFirst = round % 2 == 0;
      double[] scores = new double[2];
      for (int turn = 0; turn < 2; turn++) {
        boolean hoard = (turn == 0) == hoardFirst;
        double load = Machine.loadAverage();
        loadLow = Math.min(loadLow, load);
        loadHigh = Math.max(loadHigh, load);
        scores[hoard ? 0 : 1] = score(hoard ? comparison.hoard() : comparison.other());
      }
      ratios[round] = scores[0] / scores[1];
    }
    Arrays.sort(ratios);
    return new Measured(ratios, loadLow, loadHigh);
  }

  private static double score(Side side) {
    double score = Double.NaN;
    int count = 0;
    for (RunResult result : OneFork.run(side.include(), side.params())) {
      score = result.getPrimaryResult().getScore();
      count++;
    }
    if (count != 1) {
      throw new IllegalStateException(
          side.include() + " " + side.params() + " ran " + count + " benchmarks; it must select one");
    }
    return score;
  }

  private static void append(Path results, String line) {
    try {
      Path parent = results.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      boolean fresh = !Files.exists(results);
      String text = (fresh ? ReadmeTable.HEADER + "\n" : "") + line + "\n";
      Files.writeString(results, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + results, e);
    }
  }

  static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: BenchmarkSuite [--rounds N (>= 3)] [--only ID_REGEX] [--results FILE]");
    System.exit(2);
  }
}
