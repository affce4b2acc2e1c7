package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.memory.MemoryCacheStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** remember(): one load per key under concurrency, failures cache nothing. */
class RememberTest {

  private static final int THREADS = 32;

  private final Cache cache = Cache.builder(MemoryCacheStore.builder().copyValues().build()).build();

  /** Runs {@code task} on 32 threads released together; returns what each got or threw. */
  private List<Object> onThreads(Runnable whileWaiting, java.util.function.Supplier<Object> task)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
          results.add(task.get());
        } catch (RuntimeException e) {
          results.add(e);
        } catch (Exception e) {
          results.add(new IllegalStateException(e));
        }
      }, "remember-test-" + i);
      threads.add(thread);
      thread.start();
    }
    whileWaiting.run();
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
    return results;
  }

  /**
   * Waits until every thread but the loader is parked on the loader's result (not merely still
   * parked at the start barrier), then lets the loader finish.
   */
  private static void awaitOthersParked(AtomicInteger loaderEntered, CountDownLatch release) {
    await().atMost(Duration.ofSeconds(20)).until(() -> loaderEntered.get() == 1
        && Thread.getAllStackTraces().entrySet().stream()
            .filter(e -> e.getKey().getName().startsWith("remember-test-"))
            .filter(e -> java.util.Arrays.stream(e.getValue())
                .anyMatch(frame -> frame.getClassName().equals(
                    java.util.concurrent.CompletableFuture.class.getName())))
            .count() == THREADS - 1);
    release.countDown();
  }

  /** A loader that counts its runs and finishes with {@code outcome} once released. */
  private static java.util.function.Supplier<String> blockingLoader(
      AtomicInteger loads, CountDownLatch release, java.util.function.Supplier<String> outcome) {
    return () -> {
      loads.incrementAndGet();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return outcome.get();
    };
  }

  @Test
  void thirtyTwoThreadsOnOneKeyLoadOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Object> results = onThreads(() -> awaitOthersParked(loads, release),
        () -> cache.remember("hot", String.class, Duration.ofMinutes(1),
            blockingLoader(loads, release, () -> "value")));
    assertThat(loads).hasValue(1);
    assertThat(results).hasSize(THREADS).containsOnly("value");
    assertThat(cache.get("hot", String.class)).isEqualTo("value");
    assertThat(cache.stats().loadSuccesses()).isEqualTo(1);
  }

  @Test
  void aFailingLoaderCachesNothingAndEveryWaiterSeesTheFailure() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Object> results = onThreads(() -> awaitOthersParked(loads, release),
        () -> cache.remember("hot", String.class, Duration.ofMinutes(1),
            blockingLoader(loads, release, () -> {
              throw new IllegalArgumentException("database down");
            })));
    assertThat(loads).hasValue(1);
    assertThat(results).hasSize(THREADS)
        .allSatisfy(r -> assertThat(r).isInstanceOf(IllegalArgumentException.class)
            .hasFieldOrPropertyWithValue("message", "database down"));
    assertThat(cache.contains("hot")).isFalse();
    assertThat(cache.remember("hot", String.class, Duration.ofMinutes(1), () -> "recovered"))
        .isEqualTo("recovered");
  }

  @Test
  void differentKeysLoadIndependently() {
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      int n = i;
      cache.remember("k" + n, Integer.class, Duration.ofMinutes(1), () -> {
        loads.incrementAndGet();
        return n;
      });
      cache.remember("k" + n, Integer.class, Duration.ofMinutes(1), () -> {
        loads.incrementAndGet();
        return -1;
      });
    }
    assertThat(loads).hasValue(10);
    assertThat(cache.get("k7", Integer.class)).isEqualTo(7);
  }

  @Test
  void aNullResultIsReturnedButNotCached() {
    assertThat(cache.remember("none", String.class, Duration.ofMinutes(1), () -> null)).isNull();
    assertThat(cache.contains("none")).isFalse();
  }
}
