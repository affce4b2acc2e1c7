package dev.hoard.cache.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ConnectionListener;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.testing.BreakableStore;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The replay queue, failure domains and reconnect hook of {@link ResilientCacheStore}, on a real
 * memory store that the test breaks on demand; trials run inline on an injected clock. The same
 * guarantees on a real Redis are in hoard-redis's {@code RedisResilienceIT}.
 */
class InvalidationReplayTest {

  private static final Duration COOL_DOWN = Duration.ofSeconds(5);
  private static final CircuitBreakerSettings SETTINGS =
      CircuitBreakerSettings.defaults().consecutiveFailures(2).coolDown(COOL_DOWN);
  private static final byte[] V = {1};

  private final ManualClock clock = new ManualClock();
  private final BreakableStore primary =
      new BreakableStore(MemoryCacheStore.builder().clock(clock).copyValues().build());

  private ResilientCacheStore.Builder wrapper(CacheStore store) {
    return ResilientCacheStore.builder(store).circuitBreaker(SETTINGS)
        .trialExecutor(Runnable::run);
  }

  private void recover() {
    primary.repair();
    clock.advance(COOL_DOWN);
  }

  @Test
  void invalidationsMadeDuringAnOutageAreAppliedBeforeTheNextCallInOrder() {
    ResilientCacheStore store = wrapper(primary).build();
    for (String key : List.of("a", "b", "c", "d", "x1", "x2", "keep")) {
      store.put(key, V, CacheStore.NEVER);
    }
    primary.breakDown();
    assertThat(store.delete("a")).isFalse();
    assertThat(store.deleteAll(List.of("b", "c"))).isZero();
    assertThat(store.deleteMatching(Glob.of("x*"))).isZero();
    store.delete("d");
    assertThat(store.pendingInvalidations()).isEqualTo(5);

    recover();
    assertThat(store.get("keep")).as("the first call after recovery").isNotNull();
    for (String key : List.of("a", "b", "c", "d", "x1", "x2")) {
      assertThat(primary.delegate().get(key)).as(key).isNull();
    }
    assertThat(store.pendingInvalidations()).isZero();
  }

  @Test
  void aFailedDeleteIsReplayedEvenWhileTheBreakerStaysClosed() {
    ResilientCacheStore store = wrapper(primary).build();
    store.put("k", V, CacheStore.NEVER);
    primary.breakDown();
    store.delete("k");
    assertThat(store.circuitState()).isEqualTo(CircuitState.CLOSED);
    primary.repair();
    assertThat(store.get("k")).isNull();
    assertThat(primary.delegate().get("k")).isNull();
  }

  @Test
  void aClearDuringTheOutageIsReplayed() {
    ResilientCacheStore store = wrapper(primary).build();
    store.put("k", V, CacheStore.NEVER);
    primary.breakDown();
    store.delete("other");
    store.clear();
    assertThat(store.pendingInvalidations()).as("the clear covers the delete").isEqualTo(1);
    recover();
    assertThat(store.get("k")).isNull();
  }

  @Test
  void aReplayThatFailsKeepsTheQueueAndTheStoreDegraded() {
    ResilientCacheStore store = wrapper(primary).build();
    store.put("k", V, CacheStore.NEVER);
    primary.breakDown();
    store.delete("k");
    store.get("k");
    clock.advance(COOL_DOWN);
    assertThat(store.get("k")).as("the trial failed, still degraded").isNull();
    assertThat(store.pendingInvalidations()).isEqualTo(1);
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
    recover();
    assertThat(store.get("k")).isNull();
    assertThat(primary.delegate().get("k")).isNull();
  }

  @Test
  void fallbackModeAppliesInvalidationsToTheFallbackAndReplaysThemOnThePrimary() {
    ResilientCacheStore store = wrapper(primary).mode(FailureMode.FALLBACK).build();
    store.put("k", V, CacheStore.NEVER);
    primary.breakDown();
    store.put("k", V, CacheStore.NEVER);
    store.delete("k");
    assertThat(store.get("k")).as("deleted in the fallback").isNull();
    recover();
    assertThat(store.get("k")).as("deleted in the primary").isNull();
  }

  @Test
  void strictModeQueuesNothingTheCallerSeesTheFailure() {
    ResilientCacheStore store = wrapper(primary).mode(FailureMode.STRICT).build();
    primary.breakDown();
    assertThatThrownBy(() -> store.delete("k")).isInstanceOf(CacheException.class);
    assertThat(store.pendingInvalidations()).isZero();
  }

  @Test
  void overflowUnderClearClearsTheStoreOnRecoveryAndIsCounted() {
    ResilientCacheStore store = wrapper(primary)
        .invalidationReplay(3, ReplayOverflowPolicy.CLEAR).build();
    store.put("untouched", V, CacheStore.NEVER);
    primary.breakDown();
    store.deleteAll(List.of("a", "b"));
    store.deleteAll(List.of("c", "d"));
    store.delete("e");
    assertThat(store.statistics().replayOverflows()).isEqualTo(2);
    recover();
    assertThat(store.get("untouched")).as("cleared on recovery").isNull();
  }

  @Test
  void overflowUnderDropForgetsTheRestAndIsCounted() {
    ResilientCacheStore store = wrapper(primary)
        .invalidationReplay(1, ReplayOverflowPolicy.DROP).build();
    store.put("first", V, CacheStore.NEVER);
    store.put("second", V, CacheStore.NEVER);
    primary.breakDown();
    store.delete("first");
    store.delete("second");
    assertThat(store.statistics().replayOverflows()).isEqualTo(1);
    recover();
    assertThat(store.get("first")).isNull();
    assertThat(store.get("second")).as("dropped: stale until it expires").isNotNull();
  }

  @Test
  void droppedWritesAreCountedApartFromErrorsPerEntry() {
    ResilientCacheStore store = wrapper(primary).build();
    primary.breakDown();
    store.put("k", V, CacheStore.NEVER);
    store.putAll(Map.of("a", V, "b", V, "c", V), CacheStore.NEVER);
    store.increment("n", 1, CacheStore.NEVER);
    assertThat(store.statistics().droppedWrites()).isEqualTo(4);
    assertThat(store.statistics().errors()).isEqualTo(3);
  }

  /** A store whose deletes block until the test lets them go, to hold a replay in progress. */
  private static final class SlowDeletes extends BreakableStore {
    final java.util.concurrent.CountDownLatch deleting = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    volatile boolean slow;

    SlowDeletes(CacheStore delegate) {
      super(delegate);
    }

    @Override
    public boolean delete(String key) {
      if (slow) {
        deleting.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.delete(key);
    }
  }

  @Test
  void aWriteMadeWhileAnotherThreadReplaysWaitsAndLandsAfterTheQueuedDelete() throws Exception {
    SlowDeletes slow = new SlowDeletes(primary.delegate());
    ResilientCacheStore store = wrapper(slow).replayWait(Duration.ofMinutes(1)).build();
    store.put("k", V, CacheStore.NEVER);
    slow.breakDown();
    store.delete("k");
    slow.repair();
    slow.slow = true;
    Thread replaying = new Thread(() -> store.get("other"), "replaying");
    replaying.start();
    slow.deleting.await();

    byte[] written = {2};
    Thread writing = new Thread(() -> store.put("k", written, CacheStore.NEVER), "writing");
    writing.start();
    org.awaitility.Awaitility.await().until(() -> writing.getState() == Thread.State.TIMED_WAITING);
    assertThat(primary.delegate().get("k")).as("not before the replay").isEqualTo(V);
    slow.release.countDown();
    writing.join();
    replaying.join();

    assertThat(primary.delegate().get("k")).as("after the queued delete, not undone by it")
        .isEqualTo(written);
    assertThat(store.statistics().droppedWrites()).isZero();
  }

  // ---- reconnect

  /** A store that lets the test announce a reconnect, as Redis does from Lettuce's events. */
  private static final class ReconnectingStore extends BreakableStore {
    final List<ConnectionListener> listeners = new ArrayList<>();

    ReconnectingStore(CacheStore delegate) {
      super(delegate);
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
      listeners.add(listener);
    }

    void reconnected() {
      listeners.forEach(listener -> listener.connected(CacheStore.WHOLE_STORE));
    }
  }

  @Test
  void aReconnectClosesTheBreakerWithoutWaitingForTheCoolDown() {
    ReconnectingStore reconnecting = new ReconnectingStore(primary.delegate());
    ResilientCacheStore store = wrapper(reconnecting).build();
    reconnecting.breakDown();
    store.delete("k");
    store.get("k");
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);
    reconnecting.repair();
    reconnecting.reconnected();
    assertThat(store.circuitState()).isEqualTo(CircuitState.CLOSED);
    store.put("k2", V, CacheStore.NEVER);
    assertThat(primary.delegate().get("k2")).as("written, not dropped").isNotNull();
  }

  // ---- failure domains

  /** Keys fail by their first letter, like the masters of a cluster by slot. */
  private static final class ShardedStore extends BreakableStore {
    final Set<String> down = ConcurrentHashMap.newKeySet();

    ShardedStore(CacheStore delegate) {
      super(delegate);
    }

    @Override
    public Set<StoreCapability> capabilities() {
      EnumSet<StoreCapability> capabilities = EnumSet.copyOf(super.capabilities());
      capabilities.add(StoreCapability.FAILURE_DOMAINS);
      return capabilities;
    }

    @Override
    public String failureDomain(String key) {
      return key.substring(0, 1);
    }

    private void check(String key) {
      if (down.contains(failureDomain(key))) {
        throw new CacheException("shard " + failureDomain(key) + " is down");
      }
    }

    @Override
    public Object get(String key) {
      check(key);
      return super.get(key);
    }

    @Override
    public void put(String key, Object value, long expiresAt) {
      check(key);
      super.put(key, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      check(key);
      return super.delete(key);
    }

    @Override
    public long expiresAt(String key) {
      check(key);
      return super.expiresAt(key);
    }
  }

  @Test
  void oneFailedDomainLeavesTheOthersWorking() {
    ShardedStore sharded = new ShardedStore(primary.delegate());
    ResilientCacheStore store = wrapper(sharded).build();
    for (String key : List.of("a1", "a2", "b1", "b2")) {
      store.put(key, V, CacheStore.NEVER);
    }
    sharded.down.add("a");
    store.get("a1");
    store.get("a2");
    assertThat(store.circuitState("a1")).isEqualTo(CircuitState.OPEN);
    assertThat(store.circuitState("b1")).isEqualTo(CircuitState.CLOSED);
    assertThat(store.circuitState()).isEqualTo(CircuitState.OPEN);

    assertThat(store.get("b1")).isNotNull();
    store.put("b3", V, CacheStore.NEVER);
    assertThat(store.get("b3")).isNotNull();
    assertThat(store.getAll(List.of("a1", "b1", "b2")).keySet())
        .containsExactlyInAnyOrder("b1", "b2");
    assertThat(store.deleteAll(List.of("a1", "b2"))).as("b2 only, now").isEqualTo(1);
    assertThat(store.pendingInvalidations()).as("a1 waits for its shard").isEqualTo(1);
    assertThat(store.get("b2")).isNull();

    sharded.down.clear();
    clock.advance(COOL_DOWN);
    assertThat(store.get("a2")).isNotNull();
    assertThat(store.get("a1")).as("the replayed delete").isNull();
    assertThat(store.circuitState()).isEqualTo(CircuitState.CLOSED);
  }
}
