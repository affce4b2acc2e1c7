package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.CircuitState;
import dev.hoard.cache.resilience.ReplayOverflowPolicy;
import dev.hoard.cache.resilience.ResilientCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the resilience layer guarantees on a real Redis the test starts, kills ({@code kill -9}),
 * freezes ({@code SIGSTOP}) and brings back: invalidations made during an outage are applied
 * before anything is read again, the breaker closes as soon as the client reconnects, dropped
 * writes are counted apart from puts, a cache opens while Redis is down, a freeze costs each
 * thread at most one timeout, and on a Cluster one failed master leaves the others' keys working.
 */
class RedisResilienceIT {

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.noServerYet();
  private RedisServers servers;
  private ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();

  @BeforeEach
  void start() {
    servers = redis.servers();
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    stop.set(true);
    pool.shutdownNow();
    pool.awaitTermination(30, TimeUnit.SECONDS);
  }

  private static String url(int port, String parameters) {
    return "redis://127.0.0.1:" + port + "/0?prefix=resilience:&timeout=500ms" + parameters;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private String pid(int port) {
    return servers.cli(port, "info", "server").lines()
        .filter(line -> line.startsWith("process_id:"))
        .map(line -> line.substring("process_id:".length()).trim())
        .findFirst().orElseThrow();
  }

  private void signal(String pid, String signal) {
    servers.run(List.of("kill", "-" + signal, pid));
  }

  // ---- item 3: invalidations made during an outage are replayed

  @Test
  void deletesAndTagInvalidationsMadeWhileRedisIsDownAreAppliedBeforeAnythingIsReadAgain()
      throws Exception {
    int port = servers.startServer("appendonly yes", "appendfsync always");
    try (Cache cache = Caches.open(url(port, "&breakerCoolDown=250ms"));
        CacheStore raw = Caches.openStore(url(port, ""), Clock.systemUTC())) {
      for (int i = 0; i < 50; i++) {
        cache.put("user:" + i, "old " + i);
      }
      Cache tagged = cache.tagged("reports");
      tagged.put("r1", "old report");

      servers.kill(port);
      for (int i = 0; i < 25; i++) {
        cache.delete("user:" + i);
      }
      cache.deleteAll(List.of("user:25", "user:26"));
      cache.invalidateTags("reports");

      // Readers from the moment Redis is back: none may ever see an invalidated value.
      AtomicLong staleReads = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        readers.add(pool.submit(() -> {
          while (!stop.get()) {
            for (int i = 0; i < 27; i++) {
              if (cache.get("user:" + i, String.class) != null) {
                staleReads.incrementAndGet();
              }
            }
            if (tagged.get("r1", String.class) != null) {
              staleReads.incrementAndGet();
            }
            reads.incrementAndGet();
          }
        }));
      }
      servers.restart(port);
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
          .until(() -> "old 40".equals(cache.get("user:40", String.class)));
      long target = reads.get() + 50;
      await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() >= target);
      stop.set(true);
      for (Future<?> reader : readers) {
        reader.get(10, TimeUnit.SECONDS);
      }

      assertThat(staleReads).as("reads of invalidated entries after the restart").hasValue(0);
      for (int i = 0; i < 27; i++) {
        assertThat(raw.get("user:" + i)).as("user:%s in Redis", i).isNull();
      }
      assertThat(cache.get("user:27", String.class)).isEqualTo("old 27");
      assertThat(cache.stats().replayOverflows()).isZero();
    }
  }

  @Test
  void anOverflowingReplayQueueClearsThePrefixOnRecoveryAndSaysSo() {
    int port = servers.startServer("appendonly yes", "appendfsync always");
    try (Cache cache = Caches.open(url(port, "&breakerCoolDown=250ms&replayQueue=10"));
        CacheStore other = Caches.openStore(
            url(port, "").replace("prefix=resilience:", "prefix=elsewhere:"), Clock.systemUTC())) {
      for (int i = 0; i < 30; i++) {
        cache.put("k" + i, "v" + i);
      }
      other.put("untouched", bytes("x"), CacheStore.NEVER);

      servers.kill(port);
      for (int i = 0; i < 20; i++) {
        cache.delete("k" + i);
      }
      assertThat(cache.stats().replayOverflows())
          .as("the 11th key overflowed; the clear queued instead covers the 9 after it")
          .isEqualTo(1);

      servers.restart(port);
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> {
        cache.put("after", "v");
        return "v".equals(cache.get("after", String.class));
      });
      assertThat(cache.get("k25", String.class)).as("cleared with the prefix").isNull();
      assertThat(other.get("untouched")).as("another prefix is not cleared").isNotNull();
    }
  }

  // ---- item 4: no write made once Redis answers again is lost, during the replay either

  @Test
  void writesMadeAfterAKillWaitForTheOverflowClearAndAllLand() throws Exception {
    // Only the reconnect can close the breaker: the cool-down is five minutes. The queue holds 10
    // keys, so the outage's deletes overflow into a clear of the prefix.
    writesMadeOnceRedisAnswersAgainAllLand(false, Duration.ofMinutes(5), 10);
  }

  @Test
  void writesMadeAfterAFreezeWaitForTheQueuedDeletesAndAllLand() throws Exception {
    writesMadeOnceRedisAnswersAgainAllLand(true, Duration.ofMillis(250),
        ResilientCacheStore.DEFAULT_REPLAY_CAPACITY);
  }

  /**
   * Kills or freezes Redis while keys are deleted (one of them written again after recovery),
   * brings it back, and has writers write new keys from the moment the breaker closes, while the
   * queued invalidations (an overflow clear of a prefix of many keys, or the deletes) are still
   * being replayed: every one of those writes must be in Redis afterwards, and the key deleted
   * during the outage holds what was written after it.
   */
  private void writesMadeOnceRedisAnswersAgainAllLand(
      boolean freeze, Duration coolDown, int replayCapacity) throws Exception {
    // No fsync on every write: on a busy machine it makes the replay time out rather than wait.
    int port = servers.startServer();
    // The checks are patient: only the store under test has the short timeout.
    try (CacheStore raw = Caches.openStore(
            url(port, "").replace("timeout=500ms", "timeout=30s"), Clock.systemUTC());
        ResilientCacheStore store = ResilientCacheStore.builder(Caches.openStore(
                url(port, "").replace("timeout=500ms", "timeout=1s"), Clock.systemUTC()))
            .circuitBreaker(CircuitBreakerSettings.defaults().coolDown(coolDown))
            .invalidationReplay(replayCapacity, ReplayOverflowPolicy.CLEAR)
            .build();
        Cache cache = Cache.builder(store).build();
        Cache check = Caches.open(
            url(port, "&failure=strict").replace("timeout=500ms", "timeout=30s"))) {
      // Enough entries that replaying their deletion (SCAN and UNLINK) takes a while.
      Map<String, byte[]> filler = new java.util.HashMap<>();
      for (int i = 0; i < 50_000; i++) {
        filler.put("filler:" + i, bytes("x"));
        if (filler.size() == 1_000) {
          raw.putAll(filler, CacheStore.NEVER);
          filler.clear();
        }
      }
      cache.put("reborn", "before the outage");
      for (int i = 0; i < 20; i++) {
        cache.put("gone:" + i, "v");
      }
      servers.cli(port, "save"); // what the restarted server loads

      String pid = pid(port);
      if (freeze) {
        signal(pid, "STOP");
      } else {
        servers.kill(port);
      }
      try {
        cache.delete("reborn");
        for (int i = 0; i < 20; i++) {
          cache.delete("gone:" + i);
        }
        store.deleteMatching(Glob.of("filler:*"));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> store.circuitState() == CircuitState.OPEN);
        assertThat(store.pendingInvalidations()).isPositive();
      } finally {
        if (freeze) {
          signal(pid, "CONT");
        } else {
          servers.restart(port);
        }
      }

      // Each writer writes new keys as fast as it can; a write made after the writer saw the
      // breaker closed must land, whether or not the replay was still running.
      int writers = 4;
      Map<String, String> mustLand = new ConcurrentHashMap<>();
      AtomicInteger duringReplay = new AtomicInteger();
      AtomicBoolean rebornWritten = new AtomicBoolean();
      List<Future<?>> load = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int thread = t;
        load.add(pool.submit(() -> {
          for (int n = 0; !stop.get(); n++) {
            boolean closed = store.circuitState() == CircuitState.CLOSED;
            boolean replaying = store.pendingInvalidations() > 0;
            if (closed && thread == 0 && rebornWritten.compareAndSet(false, true)) {
              cache.put("reborn", "after the outage");
            }
            String key = "w:" + thread + ":" + n;
            cache.put(key, "v" + n);
            if (closed) {
              mustLand.put(key, "v" + n);
              if (replaying) {
                duringReplay.incrementAndGet();
              }
            } else {
              // Paced while the breaker is open, so that a writer is rarely inside a call when it
              // closes: the call it starts next is one it knows began after the close.
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
          }
        }));
      }
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
          .until(() -> store.circuitState() == CircuitState.CLOSED);
      long closedAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
          .until(() -> store.pendingInvalidations() == 0);
      System.out.printf("replay took %d ms after the breaker closed; dropped writes so far %d%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt),
          store.statistics().droppedWrites());
      int landedBefore = mustLand.size();
      await().atMost(Duration.ofSeconds(10)).until(() -> mustLand.size() > landedBefore + 100);
      stop.set(true);
      for (Future<?> writer : load) {
        writer.get(10, TimeUnit.SECONDS);
      }

      assertThat(duringReplay).as("writes made while the replay ran").hasPositiveValue();
      List<String> lost = new ArrayList<>();
      mustLand.forEach((key, value) -> {
        if (!value.equals(check.get(key, String.class))) {
          lost.add(key);
        }
      });
      assertThat(lost).as("writes made after the breaker closed, of %s", mustLand.size())
          .isEmpty();
      assertThat(cache.get("reborn", String.class))
          .as("written after its queued delete, not undone by the replay")
          .isEqualTo("after the outage");
      for (int i = 0; i < 20; i++) {
        assertThat(raw.get("gone:" + i)).as("gone:%s deleted during the outage", i).isNull();
      }
      assertThat(raw.get("filler:0")).isNull();
    }
  }

  // ---- item 4: the breaker closes on reconnect; dropped writes are counted apart from puts

  @Test
  void theBreakerClosesOnReconnectLongBeforeItsCoolDownAndDroppedWritesAreNotPuts()
      throws Exception {
    int port = servers.startServer("appendonly yes", "appendfsync always");
    try (CacheStore redis = Caches.openStore(url(port, ""), Clock.systemUTC());
        ResilientCacheStore store = ResilientCacheStore.builder(redis)
            .circuitBreaker(CircuitBreakerSettings.defaults().coolDown(Duration.ofMinutes(5)))
            .build();
        Cache cache = Cache.builder(store).build()) {
      cache.put("before", "v");
      assertThat(cache.stats().puts()).isEqualTo(1);

      servers.kill(port);
      for (int i = 0; i < 100; i++) {
        cache.put("during:" + i, "v");
      }
      assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
      assertThat(cache.stats().puts()).as("writes that never happened").isEqualTo(1);
      assertThat(cache.stats().droppedWrites()).isEqualTo(100);

      servers.restart(port);
      // Only the reconnect can close it: the cool-down is five minutes.
      await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5))
          .until(() -> store.circuitState() == CircuitState.CLOSED);
      for (int i = 0; i < 200; i++) {
        cache.put("after:" + i, "v" + i);
      }
      for (int i = 0; i < 200; i++) {
        assertThat(redis.get("after:" + i)).as("acknowledged write %s", i).isNotNull();
      }
      assertThat(cache.stats().puts()).isEqualTo(201);
      assertThat(cache.stats().droppedWrites()).isEqualTo(100);
    }
  }

  // ---- item 5: a cache opens while Redis is down

  @Test
  void aCacheOpensWhileRedisIsDownAndWorksOnceItIsUp() {
    int port = servers.startServer();
    servers.kill(port);
    try (Cache open = Caches.open(url(port, "&breakerCoolDown=250ms"));
        Cache fallback = Caches.open(url(port, "&failure=fallback&breakerCoolDown=250ms"));
        Cache near = Caches.open(url(port, "&near=100&breakerCoolDown=250ms")
            .replace("prefix=resilience:", "prefix=near:"));
        Cache built = Cache.builder(Caches.openStoreConnectingInBackground(
                url(port, "").replace("prefix=resilience:", "prefix=built:"), Clock.systemUTC()))
            .circuitBreaker(CircuitBreakerSettings.defaults().coolDown(Duration.ofMillis(250)))
            .build()) {
      assertThatThrownBy(() -> Caches.open(url(port, "&failure=strict")))
          .isInstanceOf(CacheException.class)
          .hasMessageContaining("cannot connect to Redis at redis://127.0.0.1:" + port);
      open.put("k", "dropped");
      assertThat(open.get("k", String.class)).isNull();
      fallback.put("f", "in memory");
      assertThat(fallback.get("f", String.class)).isEqualTo("in memory");
      near.put("k", "dropped");
      assertThat(near.get("k", String.class)).isNull();
      built.put("b", "dropped");
      assertThat(built.get("b", String.class)).isNull();

      // Not a speed test (theBreakerClosesOnReconnect… is): the bound only tolerates a busy machine.
      servers.restart(port);
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
        open.put("k", "stored");
        return "stored".equals(open.get("k", String.class));
      });
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
        fallback.put("f", "in redis");
        return servers.cli(port, "exists", "resilience:f").trim().equals("1");
      });
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
        built.put("b", "stored");
        return "stored".equals(built.get("b", String.class));
      });
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> {
        near.put("n", "stored");
        return "stored".equals(near.get("n", String.class))
            && servers.cli(port, "exists", "near:n").trim().equals("1");
      });
    }
  }

  // ---- item 7: a freeze costs each thread at most one timeout

  /** Counts the timeouts each application thread met in calls to Redis. */
  private static final class TimeoutCounter extends BreakableStore {
    final Map<String, AtomicInteger> timeouts = new ConcurrentHashMap<>();
    final AtomicInteger trials = new AtomicInteger();

    TimeoutCounter(CacheStore redis) {
      super(redis);
    }

    @Override
    public Object get(String key) {
      try {
        return super.get(key);
      } catch (CacheException e) {
        if (String.valueOf(e.getMessage()).contains("timed out")) {
          timeouts.computeIfAbsent(Thread.currentThread().getName(), name -> new AtomicInteger())
              .incrementAndGet();
        }
        throw e;
      }
    }

    @Override
    public long expiresAt(String key) {
      trials.incrementAndGet(); // only the background trial asks for expiry times here
      return super.expiresAt(key);
    }
  }

  @Test
  void aFrozenServerCostsEachThreadAtMostOneTimeout() throws Exception {
    int port = servers.startServer();
    int threads = 6;
    try (CacheStore redis = Caches.openStore(url(port, ""), Clock.systemUTC())) {
      TimeoutCounter counting = new TimeoutCounter(redis);
      // Thresholds no freeze reaches: only "a timeout while others wait" can open the breaker.
      ResilientCacheStore store = ResilientCacheStore.builder(counting)
          .circuitBreaker(CircuitBreakerSettings.defaults().consecutiveFailures(1000)
              .failureRate(1.0, 1000, 1000).coolDown(Duration.ofMillis(250)))
          .build();
      store.put("k", bytes("v"), CacheStore.NEVER);
      AtomicLong reads = new AtomicLong();
      List<Future<?>> load = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        load.add(pool.submit(() -> {
          Thread.currentThread().setName("app-" + thread);
          while (!stop.get()) {
            store.get("k");
            reads.incrementAndGet();
          }
        }));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 1000);

      String pid = pid(port);
      // Only the freeze counts: a slow call on a loaded machine before it is not what is tested.
      counting.timeouts.clear();
      signal(pid, "STOP");
      try {
        await().atMost(Duration.ofSeconds(5))
            .until(() -> store.circuitState() != CircuitState.CLOSED);
        // Frozen for longer than a timeout plus a cool-down, so trials run and time out too.
        int trialsBefore = counting.trials.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> counting.trials.get() >= trialsBefore + 2);
        long during = reads.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() > during + 1000);
      } finally {
        signal(pid, "CONT");
      }
      await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
          .until(() -> store.circuitState() == CircuitState.CLOSED);
      stop.set(true);
      for (Future<?> thread : load) {
        thread.get(10, TimeUnit.SECONDS);
      }

      Map<String, Integer> perThread = new java.util.TreeMap<>();
      counting.timeouts.forEach((thread, count) -> perThread.put(thread, count.get()));
      System.out.println("timeouts per application thread during the freeze: " + perThread);
      assertThat(perThread).as("the freeze reached the application threads").isNotEmpty();
      assertThat(perThread.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(1));
      store.close();
    }
  }

  // ---- item 8: one failed Cluster master leaves the others' keys working

  @Test
  void aFrozenOrKilledClusterMasterStopsOnlyItsOwnKeys() throws Exception {
    String clusterUrl = servers.startCluster(3);
    List<Integer> ports = new ArrayList<>();
    for (String node : clusterUrl.substring("redis-cluster://".length()).split(",")) {
      int port = Integer.parseInt(node.substring(node.indexOf(':') + 1));
      ports.add(port);
      // Without replicas a dead master would otherwise take the whole cluster down after the
      // node timeout; this test is about the client keeping healthy masters in use.
      servers.cli(port, "config", "set", "cluster-require-full-coverage", "no");
    }
    // A cluster just formed may not hand out its topology at the first attempt on a busy machine.
    CacheStore opened = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(
        () -> Caches.openStore(clusterUrl + "?prefix=iso:&timeout=1s", Clock.systemUTC()),
        store -> true);
    try (CacheStore redis = opened;
        ResilientCacheStore store = ResilientCacheStore.builder(redis)
            .circuitBreaker(CircuitBreakerSettings.defaults().coolDown(Duration.ofMillis(250)))
            .build()) {
      Map<String, List<String>> keysByMaster = new ConcurrentHashMap<>();
      for (int i = 0; i < 300; i++) {
        String key = "k" + i;
        store.put(key, bytes("v" + i), CacheStore.NEVER);
        keysByMaster.computeIfAbsent(store.failureDomain(key), master -> new ArrayList<>())
            .add(key);
      }
      assertThat(keysByMaster).hasSize(3);

      int victim = ports.get(0);
      String victimDomain = "127.0.0.1:" + victim;
      List<String> victimKeys = keysByMaster.get(victimDomain);
      List<String> healthyKeys = new ArrayList<>();
      keysByMaster.forEach((master, keys) -> {
        if (!master.equals(victimDomain)) {
          healthyKeys.addAll(keys);
        }
      });
      assertThat(victimKeys).isNotNull();

      String pid = pid(victim);
      signal(pid, "STOP");
      try {
        checkHealthyKeysKeepWorking(store, victimKeys, healthyKeys);
      } finally {
        signal(pid, "CONT");
      }
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
          .until(() -> store.get(victimKeys.get(0)) != null);

      signal(pid, "KILL");
      checkHealthyKeysKeepWorking(store, victimKeys, healthyKeys);
    }
  }

  private void checkHealthyKeysKeepWorking(
      ResilientCacheStore store, List<String> victimKeys, List<String> healthyKeys)
      throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    // Threads on the failed master's keys: they open that master's breaker.
    List<Future<?>> victimLoad = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      victimLoad.add(pool.submit(() -> {
        while (!done.get()) {
          for (String key : victimKeys) {
            store.get(key);
          }
        }
      }));
    }
    AtomicLong healthyReads = new AtomicLong();
    AtomicLong healthyMisses = new AtomicLong();
    List<Future<?>> healthyLoad = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      healthyLoad.add(pool.submit(() -> {
        while (!done.get()) {
          for (String key : healthyKeys) {
            if (store.get(key) == null) {
              healthyMisses.incrementAndGet();
            }
            healthyReads.incrementAndGet();
          }
        }
      }));
    }
    try {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> store.circuitState(victimKeys.get(0)) != CircuitState.CLOSED);
      long reads = healthyReads.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> healthyReads.get() > reads + 2000);
      assertThat(store.circuitState(healthyKeys.get(0))).isEqualTo(CircuitState.CLOSED);
      String fresh = "written while a master is down";
      store.put(healthyKeys.get(0), bytes(fresh), CacheStore.NEVER);
      assertThat(store.get(healthyKeys.get(0))).isEqualTo(bytes(fresh));
      store.put(healthyKeys.get(0), bytes("v-again"), CacheStore.NEVER);
    } finally {
      done.set(true);
      for (Future<?> thread : victimLoad) {
        thread.get(10, TimeUnit.SECONDS);
      }
      for (Future<?> thread : healthyLoad) {
        thread.get(10, TimeUnit.SECONDS);
      }
    }
    assertThat(healthyReads.get()).isPositive();
    assertThat(healthyMisses).as("misses on keys of healthy masters").hasValue(0);
  }
}
