package dev.hoard.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * Runs JMH benchmarks for Hoard and the libraries it is compared with in alternation, one fork
 * each per round, for an ad-hoc comparison (the README's figures come from {@link BenchmarkSuite}), and prints every round's ratio and the median. On a shared machine whose load
 * swings by several times within minutes, a ratio of two runs taken seconds apart is far steadier
 * than one of a single JMH run, whose trials for different parameters run minutes apart.
 *
 * <p>Arguments: a benchmark regex, the parameter that selects the implementation, Hoard's value,
 * the compared values (comma-separated), and optionally the rounds (default 5) and {@code
 * name=value} pairs for the other parameters. Each fork warms up 3 × 1 s and measures 3 × 1 s.
 *
 * <pre>
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.PairedRuns \
 *     'MemoryCacheBenchmark.getHit' impl hoard caffeine,concurrentHashMap 5
 * </pre>
 */
public final class PairedRuns {

  private PairedRuns() {}

  /** See the class comment for the arguments. */
  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: PairedRuns BENCHMARK_REGEX PARAM HOARD_VALUE OTHER,VALUES [ROUNDS] [NAME=VALUE...]");
      System.exit(2);
    }
    String include = args[0];
    String param = args[1];
    String hoard = args[2];
    List<String> others = Arrays.asList(args[3].split(","));
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    Map<String, String> fixed = new LinkedHashMap<>();
    for (int i = 5; i < args.length; i++) {
      String[] pair = args[i].split("=", 2);
      fixed.put(pair[0], pair[1]);
    }
    List<String> all = new ArrayList<>();
    all.add(hoard);
    all.addAll(others);

    // benchmark -> implementation -> score per round
    Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
    String unit = "";
    for (int round = 0; round < rounds; round++) {
      for (String value : all) {
        Map<String, String> params = new LinkedHashMap<>(fixed);
        params.put(param, value);
        for (RunResult result : OneFork.run(include, params)) {
          String benchmark = result.getParams().getBenchmark();
          benchmark = benchmark.substring(benchmark.lastIndexOf('.') + 1);
          unit = result.getPrimaryResult().getScoreUnit();
          scores.computeIfAbsent(benchmark, b -> new LinkedHashMap<>())
              .computeIfAbsent(value, v -> new ArrayList<>())
              .add(result.getPrimaryResult().getScore());
        }
      }
      System.out.printf(Locale.ROOT, "round %d of %d done%n", round + 1, rounds);
    }

    System.out.printf(Locale.ROOT, "%n%s, %d rounds of one fork each, %s; %s=%s against %s%n",
        include, rounds, unit, param, hoard, others);
    scores.forEach((benchmark, byValue) -> {
      System.out.printf(Locale.ROOT, "%n%s%n", benchmark);
      byValue.forEach((value, list) -> System.out.printf(Locale.ROOT, "  %-18s %s%n", value,
          list.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList()));
      List<Double> mine = byValue.get(hoard);
      for (String other : others) {
        List<Double> theirs = byValue.get(other);
        double[] ratios = new double[mine.size()];
        for (int i = 0; i < ratios.length; i++) {
          ratios[i] = mine.get(i) / theirs.get(i);
        }
        Arrays.sort(ratios);
        System.out.printf(Locale.ROOT, "  %s / %s: median %.2f (rounds %.2f .. %.2f)%n",
            hoard, other, ratios[ratios.length / 2], ratios[0], ratios[ratios.length - 1]);
      }
    });
  }
}
