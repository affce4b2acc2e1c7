package dev.hoard.bench;

import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs one JMH fork of one benchmark: the unit both paired runners alternate. */
final class OneFork {

  private OneFork() {}

  /**
   * Runs the benchmarks {@code include} matches with these parameters, one fork warming up 3 × 1 s
   * and measuring 3 × 1 s, and returns their results.
   */
  static Iterable<RunResult> run(String include, Map<String, String> params) {
    OptionsBuilder options = new OptionsBuilder();
    options.include(include).forks(1)
        .warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(3).measurementTime(TimeValue.seconds(1))
        .verbosity(VerboseMode.SILENT);
    params.forEach(options::param);
    try {
      return new Runner(options.build()).run();
    } catch (RunnerException e) {
      throw new IllegalStateException("JMH failed on " + include + " " + params + ": " + e, e);
    }
  }
}
