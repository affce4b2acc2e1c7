package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real outage: each test starts its own redis-server (with an fsync-always append-only file, so
 * what Redis acknowledged survives), runs load, kills the server mid-load, restarts it on the same
 * port, and checks what the application saw in each failure mode.
 *
 * <p>Recovery is bounded by the reconnect back-off cap (500 ms) plus the circuit breaker's
 * cool-down, set to 250 ms here; the tests wait at most one second after the restart.
 */
class RedisOutageIT {

  private static final int LOAD_THREADS = 4;
  private static final Duration RECOVERY = Duration.ofSeconds(1);

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.server("appendonly yes", "appendfsync always");
  private RedisServers servers;
  private int port;
  private ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();

  @BeforeEach
  void startServer() {
    servers = redis.servers();
    port = redis.port();
    pool = Executors.newFixedThreadPool(LOAD_THREADS + 1);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    stop.set(true);
    pool.shutdownNow();
    pool.awaitTermination(30, TimeUnit.SECONDS);
  }

  private String url(String parameters) {
    return "redis://127.0.0.1:" + port + "/0?prefix=outage:&timeout=500ms&breakerCoolDown=250ms"
        + parameters;
  }

  /** Application threads: put, get and remember on their own keys until stopped. */
  private List<Future<?>> startLoad(Cache cache, AtomicLong operations, Queue<Throwable> seen) {
    List<Future<?>> load = new ArrayList<>();
    for (int t = 0; t < LOAD_THREADS; t++) {
      int thread = t;
      load.add(pool.submit(() -> {
        for (long i = 0; !stop.get(); i++) {
          String key = "t" + thread + ":" + (i % 100);
          try {
            cache.put(key, "v" + i);
            cache.get(key, String.class);
            String expected = "loaded " + thread + ":" + i;
            String remembered = cache.remember(
                "r" + thread + ":" + i, String.class, Duration.ofMinutes(5), () -> expected);
            if (!expected.equals(remembered)) {
              seen.add(new AssertionError("remember returned " + remembered + ", not " + expected));
            }
          } catch (Throwable e) {
            seen.add(e);
          }
          operations.incrementAndGet();
        }
      }));
    }
    return load;
  }

  private void awaitMoreOperations(AtomicLong operations, long more) {
    long target = operations.get() + more;
    await().atMost(Duration.ofSeconds(30)).until(() -> operations.get() >= target);
  }

  @Test
  void failOpenTheApplicationSeesNoExceptionAndNoAcknowledgedWriteIsLost() throws Exception {
    AtomicLong operations = new AtomicLong();
    Queue<Throwable> seen = new ConcurrentLinkedQueue<>();
    Queue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    try (Cache cache = Caches.open(url(""));
        CacheStore strict = Caches.openStore(url("").replace("&breakerCoolDown=250ms", ""),
            Clock.systemUTC())) {
      // Writes the store reported done: Redis fsynced each before answering, so all must be
      // there after the restart. A write that failed may or may not have landed; both are fine.
      Future<?> writer = pool.submit(() -> {
        for (long i = 0; !stop.get(); i++) {
          try {
            strict.put("acked:" + i, Long.toString(i).getBytes(UTF_8), CacheStore.NEVER);
            acknowledged.add(i);
          } catch (CacheException expected) {
            // Redis is down: not acknowledged.
          }
        }
      });
      List<Future<?>> load = startLoad(cache, operations, seen);
      awaitMoreOperations(operations, 200);

      servers.kill(port);
      long errorsBefore = cache.stats().errors();
      awaitMoreOperations(operations, 500);
      cache.put("during", "dropped");
      assertThat(cache.get("during", String.class)).as("a read while Redis is down").isNull();
      assertThat(cache.remember("during", String.class, Duration.ofMinutes(1), () -> "loaded"))
          .isEqualTo("loaded");
      assertThat(cache.stats().errors()).as("dropped calls are counted").isGreaterThan(errorsBefore);

      servers.restart(port);
      long restarted = System.nanoTime();
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(10)).until(() -> {
        cache.put("after", "stored");
        return "stored".equals(cache.get("after", String.class));
      });
      System.out.printf("fail-open: reads hit Redis again %d ms after the restart%n",
          (System.nanoTime() - restarted) / 1_000_000);
      awaitMoreOperations(operations, 200);

      stop.set(true);
      for (Future<?> thread : load) {
        thread.get(30, TimeUnit.SECONDS);
      }
      writer.get(30, TimeUnit.SECONDS);
      assertThat(seen).as("what the application saw").isEmpty();
      assertThat(acknowledged).hasSizeGreaterThan(10);
      for (long i : acknowledged) {
        assertThat(strict.get("acked:" + i)).as("acknowledged write %s", i)
            .isEqualTo(Long.toString(i).getBytes(UTF_8));
      }
    }
  }

  @Test
  void strictModeReportsTheOutageAsCacheExceptionAndRecovers() throws Exception {
    try (Cache cache = Caches.open(url("&failure=strict"))) {
      cache.put("k", "before");
      servers.kill(port);
      assertThatThrownBy(() -> cache.get("k", String.class)).isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> cache.put("k", "during")).isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> cache.remember("r", String.class, Duration.ofMinutes(1), () -> "x"))
          .isInstanceOf(CacheException.class);

      servers.restart(port);
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
          .until(() -> "before".equals(cache.get("k", String.class)));
    }
  }

  @Test
  void fallbackServesFromMemoryWhileDownAndReturnsToRedisWithinOneSecond() throws Exception {
    AtomicLong operations = new AtomicLong();
    Queue<Throwable> seen = new ConcurrentLinkedQueue<>();
    try (Cache cache = Caches.open(url("&failure=fallback"))) {
      cache.put("only-in-redis", "from redis");
      List<Future<?>> load = startLoad(cache, operations, seen);
      awaitMoreOperations(operations, 200);

      servers.kill(port);
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        cache.put("outage", "from memory");
        return "from memory".equals(cache.get("outage", String.class));
      });
      assertThat(cache.get("only-in-redis", String.class)).as("not in the fallback").isNull();
      awaitMoreOperations(operations, 1000);

      servers.restart(port);
      long restarted = System.nanoTime();
      await().atMost(RECOVERY).pollInterval(Duration.ofMillis(10))
          .until(() -> "from redis".equals(cache.get("only-in-redis", String.class)));
      System.out.printf("fallback: served from Redis again %d ms after the restart%n",
          (System.nanoTime() - restarted) / 1_000_000);
      assertThat(cache.get("outage", String.class))
          .as("what the fallback held during the outage is dropped").isNull();
      awaitMoreOperations(operations, 200);

      stop.set(true);
      for (Future<?> thread : load) {
        thread.get(30, TimeUnit.SECONDS);
      }
      assertThat(seen).as("what the application saw").isEmpty();
    }
  }
}
