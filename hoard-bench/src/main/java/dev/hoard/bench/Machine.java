package dev.hoard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmarks ran on, as results files record it. */
final class Machine {

  private Machine() {}

  /** Cores, CPU model, JVM and OS in one line without tabs. */
  static String describe() {
    String cpu = "unknown CPU";
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      cpu = lines.stream().filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
    } catch (IOException e) {
      // Not Linux: the rest of the line still says what ran.
    }
    return (Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java "
        + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch")).replace('\t', ' ');
  }

  /** The one-minute load average, or NaN where the system does not say. */
  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
  }
}
