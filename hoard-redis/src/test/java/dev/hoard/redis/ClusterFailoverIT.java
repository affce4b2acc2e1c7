package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.redis.testing.RedisServers;
import io.lettuce.core.cluster.SlotHash;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * A master of a 3-master, 3-replica Redis Cluster (node timeout 1 s, {@code
 * cluster-require-full-coverage no}, without which Redis itself refuses every key with {@code
 * CLUSTERDOWN} until the promotion) is killed or frozen under load. Keys of its slots must work
 * again within a second of the cluster promoting its replica (the topology is refreshed on
 * failures, not only every 30 s; after a freeze plus one timeout, which that refresh spends
 * waiting for the frozen node), and keys of the healthy masters must keep working: none of their
 * calls may fail for longer than one command timeout in a row.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClusterFailoverIT {

  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration AFTER_PROMOTION = Duration.ofSeconds(1);
  private static final int THREADS = 4;
  private static final int KEYS = 300;

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.cluster(3, 1, Duration.ofMillis(1000));
  private RedisServers servers;
  private String url;
  private CacheStore store;
  private ExecutorService pool;
  private final AtomicBoolean stop = new AtomicBoolean();

  @BeforeEach
  void startCluster() {
    servers = redis.servers();
    url = redis.url();
    store = Caches.openStore(url + "?prefix=failover:&timeout=" + TIMEOUT.toMillis() + "ms",
        Clock.systemUTC());
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void stopCluster() throws InterruptedException {
    stop.set(true);
    pool.shutdownNow();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    store.close();
  }

  @Test
  void killedMasterIsReplacedWithinASecondOfThePromotionAndOtherMastersNeverStall()
      throws Exception {
    failOver(servers::kill, AFTER_PROMOTION);
  }

  @Test
  void frozenMasterIsReplacedSoonAfterThePromotionAndOtherMastersNeverStall()
      throws Exception {
    // The refresh that sees the promotion also waits for the frozen node's handshake to time out;
    // on a busy two-core machine the one before it may still be waiting too (measured 290-1308
    // ms after the promotion in quiet runs), so the bound allows a second handshake and a margin.
    failOver(servers::freeze, AFTER_PROMOTION.plus(TIMEOUT.multipliedBy(3)));
  }

  private void failOver(IntConsumer fail, Duration bound) throws Exception {
    List<Node> masters = masters(seedPort());
    Node victim = masters.stream()
        .filter(master -> master.serves(SlotHash.getSlot("failover:k0"))).findFirst().orElseThrow();
    int observer = masters.stream().filter(master -> master != victim).findFirst().orElseThrow()
        .port();
    List<String> victimKeys = new ArrayList<>();
    List<String> healthyKeys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      (victim.serves(SlotHash.getSlot("failover:" + key)) ? victimKeys : healthyKeys).add(key);
    }
    assertThat(victimKeys).isNotEmpty();
    assertThat(healthyKeys).isNotEmpty();

    AtomicLong healthyFailures = new AtomicLong();
    AtomicLong longestHealthyOutageNanos = new AtomicLong();
    List<Future<?>> load = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      load.add(pool.submit(() -> {
        long failingSince = 0;
        for (long i = 0; !stop.get(); i++) {
          String key = healthyKeys.get((int) ((i * THREADS + thread) % healthyKeys.size()));
          long started = System.nanoTime();
          try {
            store.put(key, ("v" + i).getBytes(UTF_8), CacheStore.NEVER);
            store.get(key);
            if (failingSince != 0) {
              longestHealthyOutageNanos.accumulateAndGet(System.nanoTime() - failingSince, Math::max);
              failingSince = 0;
            }
          } catch (RuntimeException e) {
            if (healthyFailures.incrementAndGet() <= 3) {
              System.out.println("a key of a healthy master failed: " + e.getMessage());
            }
            failingSince = failingSince == 0 ? started : failingSince;
          }
          // one key of the failed master's slots in between, as a mixed workload would have
          try {
            store.get(victimKeys.get((int) (i % victimKeys.size())));
          } catch (RuntimeException expectedWhileFailingOver) {
            // counted by the assertions on the victim's keys below
          }
        }
      }));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> healthyKeys.stream().limit(10)
        .allMatch(key -> store.get(key) != null));

    fail.accept(victim.port());
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> masters(observer).stream()
            .anyMatch(master -> master.port() != victim.port() && master.slots()
                .equals(victim.slots())));
    long promoted = System.nanoTime();
    await().atMost(bound).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .untilAsserted(() -> {
          for (String key : victimKeys.subList(0, Math.min(10, victimKeys.size()))) {
            store.put(key, "after".getBytes(UTF_8), CacheStore.NEVER);
            assertThat(new String((byte[]) store.get(key), UTF_8)).isEqualTo("after");
          }
        });

    System.out.printf("failed master's keys work again %d ms after the promotion was seen%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted));
    stop.set(true);
    for (Future<?> thread : load) {
      thread.get(30, TimeUnit.SECONDS);
    }
    System.out.printf("healthy masters: %d failed calls, longest failing run %d ms%n",
        healthyFailures.get(), TimeUnit.NANOSECONDS.toMillis(longestHealthyOutageNanos.get()));
    // One timeout, with room for a second one: on a busy two-core machine a 500 ms timeout can
    // trip on its own.
    assertThat(Duration.ofNanos(longestHealthyOutageNanos.get()))
        .as("keys of healthy masters never fail for much longer than one timeout in a row")
        .isLessThanOrEqualTo(TIMEOUT.multipliedBy(4));
  }

  private int seedPort() {
    return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
  }

  /** A master as {@code CLUSTER NODES} lists it: its port and slot ranges. */
  private record Node(int port, List<String> slots) {
    boolean serves(int slot) {
      for (String range : slots) {
        String[] bounds = range.split("-");
        int from = Integer.parseInt(bounds[0]);
        int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
        if (slot >= from && slot <= to) {
          return true;
        }
      }
      return false;
    }
  }

  /** The masters not marked failed, as the node on {@code port} sees them. */
  private List<Node> masters(int port) {
    List<Node> masters = new ArrayList<>();
    for (String line : servers.cli(port, "cluster", "nodes").split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
        continue;
      }
      int nodePort = Integer.parseInt(
          fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
      masters.add(new Node(nodePort, List.of(fields).subList(8, fields.length)));
    }
    return masters;
  }
}
