package dev.hoard.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.metrics.CacheMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each memcached server's own figures, from the shared servers (which other suites use too). */
class MemcachedStoreReportIT {

  @Test
  void reports_every_servers_stats_and_no_size() {
    ManualClock clock = new ManualClock();
    try (Cache cache = Cache.builder(TestServers.builder("report").clock(clock).build())
        .name("report").build()) {
      for (int i = 0; i < 20; i++) {
        cache.put("k" + i, "value " + i);
      }
      cache.get("k1");

      StoreReport report = cache.storeReport();
      assertThat(report.size()).as("memcached cannot count one prefix").isEqualTo(-1);
      assertThat(cache.stats().size()).isEqualTo(-1);
      double items = 0;
      for (String server : TestServers.addresses()) {
        Map<String, String> tags = Map.of("server", server);
        assertThat(report.value("hoard.memcached.bytes", tags)).as(server).isPositive();
        items += report.value("hoard.memcached.items", tags);
        assertThat(report.value("hoard.memcached.evictions", tags)).as(server)
            .isGreaterThanOrEqualTo(0);
        assertThat(report.value("hoard.memcached.hit.ratio", tags)).as(server).isBetween(0.0, 1.0);
      }
      assertThat(items).as("the 20 items just written, and other clients'")
          .isGreaterThanOrEqualTo(20);

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      CacheMetrics.monitor(registry, cache);
      String first = TestServers.addresses().get(0);
      assertThat(registry.get("hoard.memcached.bytes").tag("cache", "report").tag("server", first)
          .gauge().value()).isPositive();
      assertThat(registry.find("cache.size").gauge()).as("unknown size is no gauge value")
          .satisfiesAnyOf(g -> assertThat(g).isNull(), g -> assertThat(g.value()).isNaN());
    }
  }
}
