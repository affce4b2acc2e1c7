package dev.hoard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.AsyncCache;
import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.redis.testing.TestUrls;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Cache#async()} on Redis keeps a thousand calls in flight from one caller without a
 * thread per call: counted, not timed.
 */
class AsyncCacheOnRedisIT {

  /** A long timeout: on a loaded test machine 2,000 commands in flight must not time out. */
  private static final String URL =
      TestUrls.withUniquePrefix(TestUrls.sharedServer(), AsyncCacheOnRedisIT.class)
          + "&timeout=10s";
  private static final int IN_FLIGHT = 1_000;

  private final Cache cache = Caches.open(URL);

  @AfterEach
  void clear() {
    cache.clear();
    cache.close();
  }

  @Test
  void aThousandGetsInFlightFromOneCallerStartNoThreads() throws Exception {
    AsyncCache async = cache.async();
    for (int i = 0; i < IN_FLIGHT; i++) {
      cache.put("k" + i, "v" + i, Duration.ofMinutes(5));
    }
    // Warm up: the client's event loop and any pool the cache needs exist before counting.
    async.get("k0", String.class).get(10, TimeUnit.SECONDS);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    threads.resetPeakThreadCount();
    int before = threads.getThreadCount();
    List<CompletableFuture<String>> gets = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      gets.add(async.get("k" + i, String.class));
    }
    CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < IN_FLIGHT; i++) {
      assertThat(gets.get(i).join()).isEqualTo("v" + i);
    }
    assertThat(threads.getPeakThreadCount() - before)
        .as("threads started for %d gets in flight", IN_FLIGHT).isLessThanOrEqualTo(2);
    assertThat(cache.stats().hits()).isGreaterThanOrEqualTo(IN_FLIGHT);
  }

  @Test
  void writesAndCountersInFlightLandWithoutAThreadEach() throws Exception {
    AsyncCache async = cache.async();
    async.put("warm", "up", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    threads.resetPeakThreadCount();
    int before = threads.getThreadCount();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(async.put("p" + i, i, Duration.ofMinutes(5)));
      calls.add(async.increment("counter", 1, Duration.ofMinutes(5)));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(cache.get("p999", Integer.class)).isEqualTo(999);
    assertThat(cache.increment("counter", 0, Duration.ofMinutes(5))).isEqualTo(IN_FLIGHT);
    assertThat(async.delete("p1").get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.contains("p1")).isFalse();
    assertThat(threads.getPeakThreadCount() - before)
        .as("threads started for %d writes in flight", 2 * IN_FLIGHT).isLessThanOrEqualTo(2);
  }
}
