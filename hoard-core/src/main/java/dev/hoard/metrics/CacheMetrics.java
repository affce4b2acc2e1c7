package dev.hoard.metrics;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import dev.hoard.cache.StoreGauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Hoard cache's statistics as Micrometer meters, under the names Micrometer's own Caffeine and
 * JCache binders use, tagged {@code cache=<name>}.
 *
 * <ul>
 *   <li>{@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions}, {@code
 *       cache.size} (only when the store can tell), as Micrometer's binders name them;
 *   <li>{@code cache.load{result=success|failure}} and {@code cache.load.duration}: loaders run by
 *       {@code remember};
 *   <li>{@code cache.expirations}, {@code cache.errors} (undecodable entries and store failures a
 *       fail-open store absorbed), {@code cache.dropped.writes} (writes a failing store did not
 *       make), {@code cache.replay.overflows}, and the gauge {@code cache.hit.ratio};
 *   <li>the gauges the store's servers report ({@link Cache#storeReport()}): {@code
 *       hoard.redis.memory.used}, {@code hoard.redis.db.keys}, {@code
 *       hoard.memcached.bytes|items|evictions|hit.ratio{server}}, {@code hoard.memory.used}.
 * </ul>
 *
 * <p>The store's gauges are those its first report names: a store whose servers do not answer
 * when the binder is bound gets none of them (its other meters are all there).
 *
 * <p>Every meter reads {@link Cache#stats()} (or the store's report, asked at most every two
 * seconds) when it is scraped, so nothing is counted twice and
 * binding costs the cache nothing between scrapes. Like Micrometer's binders it holds the cache
 * weakly: a closed and forgotten cache does not stay in memory for its meters' sake.
 *
 * <pre>{@code
 * CacheMetrics.monitor(registry, cache);               // or, for Spring Boot, a bean:
 * @Bean MeterBinder usersCacheMetrics(Cache users) { return new CacheMetrics(users, Tags.empty()); }
 * }</pre>
 */
// Micrometer's types appear in this API but the module requires Micrometer "static" (optional),
// not "transitive": whoever binds meters has Micrometer already. Only that lint is silenced.
@SuppressWarnings("exports")
public final class CacheMetrics extends CacheMeterBinder<Cache> {

  /** Meters for {@code cache}, tagged with its {@link Cache#name()} and {@code tags}. */
  public CacheMetrics(Cache cache, Iterable<Tag> tags) {
    this(cache, cache.name(), tags);
  }

  /** Meters for {@code cache} under another name than its own, for example a Spring cache name. */
  public CacheMetrics(Cache cache, String name, Iterable<Tag> tags) {
    super(cache, name, tags);
  }

  /** Binds the meters of {@code cache} to {@code registry}; returns the cache. */
  public static Cache monitor(MeterRegistry registry, Cache cache, String... tags) {
    new CacheMetrics(cache, Tags.of(tags)).bindTo(registry);
    return cache;
  }

  @Override
  protected Long size() {
    Cache cache = getCache();
    if (cache == null) {
      return null;
    }
    long size = cache.stats().size();
    return size < 0 ? null : size;
  }

  @Override
  protected long hitCount() {
    return read(CacheStats::hits);
  }

  @Override
  protected Long missCount() {
    return read(CacheStats::misses);
  }

  @Override
  protected Long evictionCount() {
    return read(CacheStats::evictions);
  }

  @Override
  protected long putCount() {
    return read(CacheStats::puts);
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    Cache cache = getCache();
    if (cache == null) {
      return;
    }
    counter(registry, cache, "cache.load", "loader runs that returned a value",
        CacheStats::loadSuccesses, "result", "success");
    counter(registry, cache, "cache.load", "loader runs that threw",
        CacheStats::loadFailures, "result", "failure");
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
    counter(registry, cache, "cache.dropped.writes",
        "writes a failing store did not make (fail-open)", CacheStats::droppedWrites);
    counter(registry, cache, "cache.replay.overflows",
        "invalidations made during an outage that found the replay queue full",
        CacheStats::replayOverflows);
    Gauge.builder("cache.hit.ratio", cache, c -> c.stats().hitRate())
        .tags(getTagsWithCacheName())
        .description("hits over all reads; 1 before the first read")
        .register(registry);
    // The store states its gauges' names and tags on every report, so the first one says which
    // gauges there are; each then reads the cache's recent report, refreshed at most every 2 s.
    for (StoreGauge gauge : cache.storeReport().gauges()) {
      Map<String, String> gaugeTags = gauge.tags();
      Tags tags = Tags.of(getTagsWithCacheName());
      for (Map.Entry<String, String> tag : gaugeTags.entrySet()) {
        tags = tags.and(tag.getKey(), tag.getValue());
      }
      Gauge.builder(gauge.name(), cache, c -> c.storeReport().value(gauge.name(), gaugeTags))
          .tags(tags)
          .baseUnit(gauge.baseUnit())
          .description(gauge.description())
          .register(registry);
    }
  }

  private void counter(
      MeterRegistry registry, Cache cache, String name, String description,
      ToDoubleFunction<CacheStats> value, String... tags) {
    FunctionCounter.builder(name, cache, c -> value.applyAsDouble(c.stats()))
        .tags(Tags.of(getTagsWithCacheName()).and(tags))
        .description(description)
        .register(registry);
  }

  private long read(ToLongFunction<CacheStats> value) {
    Cache cache = getCache();
    return cache == null ? 0 : value.applyAsLong(cache.stats());
  }
}
