package dev.hoard.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a store's servers say about it when asked: its number of entries where the server can
 * count them, and figures such as memory used or per-server hits. Reading one may cost a round
 * trip per server or a bounded scan, so a {@link Cache} asks at most once every {@link
 * #FRESHNESS} and hands out the last answer meanwhile ({@link Cache#storeReport()}).
 *
 * @param size live entries of this store (under its prefix, in its table), or -1 when the server
 *     cannot tell or telling would cost too much
 * @param gauges figures the servers report, in a stable order and set: the same names and tags on
 *     every read, with {@code NaN} values for a server that did not answer
 */
public record StoreReport(long size, List<StoreGauge> gauges) {

  /** How long a report is reused before the servers are asked again. */
  public static final Duration FRESHNESS = Duration.ofSeconds(2);

  /** The report of a store that can tell nothing. */
  public static final StoreReport EMPTY = new StoreReport(-1, List.of());

  /** Copies the gauges. */
  public StoreReport {
    gauges = List.copyOf(gauges);
  }

  /** The value of the gauge with this name and these tags, or {@code NaN} when there is none. */
  public double value(String name, Map<String, String> tags) {
    for (StoreGauge gauge : gauges) {
      if (gauge.name().equals(name) && gauge.tags().equals(tags)) {
        return gauge.value();
      }
    }
    return Double.NaN;
  }
}
