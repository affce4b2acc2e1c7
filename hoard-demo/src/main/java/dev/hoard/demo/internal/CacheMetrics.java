package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * A Hoard cache's statistics as Micrometer meters under the names Micrometer's own cache binders
 * use ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}, {@code
 * cache.load}), plus the hit ratio, load time, expirations and errors. Each meter reads {@link
 * Cache#stats()} when scraped; nothing is counted twice.
 */
final class CacheMetrics extends CacheMeterBinder<Cache> {

  CacheMetrics(Cache cache, String name) {
    super(cache, name, Tags.empty());
  }

  @Override
  protected Long size() {
    long size = stats().size();
    return size < 0 ? null : size;
  }

  @Override
  protected long hitCount() {
    return stats().hits();
  }

  @Override
  protected Long missCount() {
    return stats().misses();
  }

  @Override
  protected Long evictionCount() {
    return stats().evictions();
  }

  @Override
  protected long putCount() {
    return stats().puts();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    Cache cache = getCache();
    if (cache == null) {
      return;
    }
    counter(registry, cache, "cache.load", "loader runs that returned a value",
        stats -> stats.loadSuccesses(), "result", "success");
    counter(registry, cache, "cache.load", "loader runs that threw",
        stats -> stats.loadFailures(), "result", "failure");
    FunctionCounter.builder("cache.load.duration", cache,
            c -> c.stats().totalLoadTime().toNanos() / 1e9)
        .tags(getTagsWithCacheName())
        .baseUnit("seconds")
        .description("time spent in loaders")
        .register(registry);
    counter(registry, cache, "cache.expirations", "entries dropped because they expired",
        CacheStats::expirations);
    counter(registry, cache, "cache.errors",
        "undecodable entries and store failures absorbed by a fail-open store", CacheStats::errors);
    Gauge.builder("cache.hit.ratio", cache, c -> c.stats().hitRate())
        .tags(getTagsWithCacheName())
        .description("hits over all reads; 1 before the first read")
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, Cache cache, String name, String description,
      ToDoubleFunction<CacheStats> value, String... tags) {
    FunctionCounter.builder(name, cache, c -> value.applyAsDouble(c.stats()))
        .tags(Tags.of(getTagsWithCacheName()).and(tags))
        .description(description)
        .register(registry);
  }

  private CacheStats stats() {
    Cache cache = getCache();
    return cache == null
        ? new CacheStats(0, 0, 0, 0, 0, 0, 0, Duration.ZERO, 0, -1)
        : cache.stats();
  }
}
