package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remember} with {@code rememberLock}: two caches with their own connections, as two
 * processes would have, load a missing key once between them. On a private redis-server so that
 * the test can count the commands it sent.
 */
class RememberLockIT {

  private static final int THREADS_PER_CACHE = 16;

  @RegisterExtension
  static final PrivateRedis redis = PrivateRedis.server();

  @BeforeEach
  void emptyServer() {
    redis.cli("flushall");
    redis.cli("config", "resetstat");
  }

  private static String url(String parameters) {
    return "redis://127.0.0.1:" + redis.port() + "/0?prefix=lock:" + parameters;
  }

  private static long calls(String command) {
    Matcher calls = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
        .matcher(redis.cli("info", "commandstats"));
    return calls.find() ? Long.parseLong(calls.group(1)) : 0;
  }

  @Test
  void twoCachesOnOneRedisRunTheLoaderOnceFor32Callers() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<String> results;
    try (Cache first = Caches.open(url("&rememberLock=20s"));
        Cache second = Caches.open(url("&rememberLock=20s"))) {
      redis.cli("config", "resetstat");
      CyclicBarrier start = new CyclicBarrier(2 * THREADS_PER_CACHE);
      ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_CACHE);
      try {
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 2 * THREADS_PER_CACHE; i++) {
          Cache cache = i % 2 == 0 ? first : second;
          calls.add(pool.submit(() -> {
            start.await();
            return cache.remember("report", String.class, Duration.ofMinutes(5), () -> {
              loads.incrementAndGet();
              // Hold the load until the other cache has asked for the lock too (each cache sends
              // one SET NX for its callers), so the two really overlap.
              await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                  .until(() -> calls("set") >= 2);
              return "loaded once";
            });
          }));
        }
        results = new ArrayList<>();
        for (Future<String> call : calls) {
          results.add(call.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(first.get("report", String.class)).isEqualTo("loaded once");
    }
    assertThat(loads).hasValue(1);
    assertThat(results).hasSize(2 * THREADS_PER_CACHE).containsOnly("loaded once");
    assertThat(redis.cli("--scan", "--pattern", "*lock=*").strip())
        .as("the lock is released").isEmpty();
  }

  @Test
  void aLockWhoseHolderDiedIsTakenOverWhenItsLeaseEnds() {
    try (Cache cache = Caches.open(url("&rememberLock=300ms"))) {
      // A holder that took the lock and died: the entry stays until its lease runs out.
      String lockKey = "lock:\u001Flock=report:";
      redis.cli("set", lockKey, "dead-holder", "px", "300");
      AtomicInteger loads = new AtomicInteger();
      assertThat(cache.remember("report", String.class, Duration.ofMinutes(5), () -> {
        loads.incrementAndGet();
        return "fresh";
      })).isEqualTo("fresh");
      assertThat(loads).hasValue(1);
      assertThat(redis.cli("exists", lockKey).strip()).isEqualTo("0");
    }
  }

  @Test
  void aFailedLoaderReleasesTheLockAtOnce() {
    try (Cache cache = Caches.open(url("&rememberLock=10m"))) {
      assertThatThrownBy(() -> cache.remember("report", String.class, Duration.ofMinutes(5), () -> {
        throw new IllegalStateException("database down");
      })).hasMessage("database down");
      // With the lock still held this would wait for the ten-minute lease.
      assertThat(cache.remember("report", String.class, Duration.ofMinutes(5), () -> "second try"))
          .isEqualTo("second try");
      assertThat(redis.cli("dbsize").strip()).isEqualTo("1");
    }
  }

  @Test
  void theLockIsTokenCheckedInRedis() {
    try (CacheStore store = Caches.openStore(url(""), Clock.systemUTC())) {
      long inAMinute = System.currentTimeMillis() + 60_000;
      assertThat(store.tryLock("l", "a".getBytes(UTF_8), inAMinute)).isTrue();
      assertThat(store.tryLock("l", "b".getBytes(UTF_8), inAMinute)).isFalse();
      assertThat(store.unlock("l", "b".getBytes(UTF_8))).isFalse();
      assertThat(redis.cli("get", "lock:l").strip()).isEqualTo("a");
      assertThat(redis.cli("pttl", "lock:l").strip()).isNotEqualTo("-1");
      assertThat(store.unlock("l", "a".getBytes(UTF_8))).isTrue();
      assertThat(calls("evalsha") + calls("eval")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aStoreThatCannotLockIsRefusedByName(@TempDir Path directory) {
    assertThatThrownBy(() -> Caches.open(directory.toUri() + "?rememberLock=10s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rememberLock needs a store that can hold locks");
  }
}
