package dev.hoard.cache.spi;

import dev.hoard.cache.CacheException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where stores without an asynchronous client (SQL, files) run the asynchronous calls of the SPI:
 * a bounded pool of daemon threads named {@code hoard-blocking-io-N}, sized for calls that wait
 * on I/O rather than for the CPU count — never {@code ForkJoinPool.commonPool()}, whose
 * parallelism is 1 on a 2-core host and which then starts a thread per blocked call. Idle threads
 * end after 30 s, so a process that never calls asynchronously keeps none.
 */
public final class BlockingIo {

  /** Calls that may wait on I/O at once; further calls queue. */
  public static final int THREADS = 64;

  /** Calls that may queue; beyond it a call fails at once rather than piling up. */
  public static final int QUEUE = 10_000;

  private BlockingIo() {}

  private static final class Pool {
    static final ThreadPoolExecutor EXECUTOR = create();

    private static ThreadPoolExecutor create() {
      AtomicInteger count = new AtomicInteger();
      ThreadFactory threads = task -> {
        Thread thread = new Thread(task, "hoard-blocking-io-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
      ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(QUEUE), threads, new ThreadPoolExecutor.AbortPolicy());
      executor.allowCoreThreadTimeOut(true);
      return executor;
    }
  }

  /** The pool itself, for stores that hand it work of their own. */
  public static Executor executor() {
    return Pool.EXECUTOR;
  }

  /**
   * Runs a synchronous store call without blocking the caller: on the caller's thread when the
   * store is {@link StoreCapability#NON_BLOCKING}, on the pool otherwise. Its exception, or a full
   * queue, completes the stage exceptionally.
   */
  public static <T> CompletableFuture<T> call(CacheStore store, Supplier<T> call) {
    if (store.capabilities().contains(StoreCapability.NON_BLOCKING)) {
      return inline(call);
    }
    try {
      return CompletableFuture.supplyAsync(call, Pool.EXECUTOR);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new CacheException(
          store.description() + ": " + QUEUE + " asynchronous calls already wait for the "
              + THREADS + " blocking-I/O threads; the store is too slow for the load", e));
    }
  }

  /** Runs a call on the caller's thread, its result or exception in a completed stage. */
  public static <T> CompletableFuture<T> inline(Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
