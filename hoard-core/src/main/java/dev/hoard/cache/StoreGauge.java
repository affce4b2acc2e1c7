package dev.hoard.cache;

import java.util.Map;
import java.util.Objects;

/**
 * One figure a store's server reports about itself, such as the memory Redis uses or the items
 * one Memcached server holds; {@link dev.hoard.metrics.CacheMetrics} turns each into a Micrometer
 * gauge.
 *
 * @param name a dotted meter name, e.g. {@code hoard.redis.memory.used}
 * @param tags what tells two gauges of one name apart, e.g. {@code server=10.0.0.5:11211}
 * @param value the figure, {@link Double#NaN} when the server did not say
 * @param baseUnit the unit, e.g. {@code bytes}, or {@code null} for a plain count or ratio
 * @param description one line for whoever reads the gauge
 */
public record StoreGauge(
    String name, Map<String, String> tags, double value, String baseUnit, String description) {

  /** Checks the parts and copies the tags. */
  public StoreGauge {
    Objects.requireNonNull(name, "name");
    tags = Map.copyOf(tags);
    Objects.requireNonNull(description, "description");
  }
}
