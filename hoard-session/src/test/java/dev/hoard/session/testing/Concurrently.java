package dev.hoard.session.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs simulated requests released together on several threads, for tests. */
public final class Concurrently {

  /** One request; {@code index} tells it apart. */
  public interface Request {
    /** Runs request number {@code index}; returns whether it did what it was asked. */
    boolean run(int index) throws Exception;
  }

  private Concurrently() {}

  /** Runs {@code count} requests at once and returns their results in order. */
  public static List<Boolean> run(int count, Request request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 16));
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          start.await();
          return request.run(index);
        }));
      }
      start.countDown();
      List<Boolean> results = new ArrayList<>();
      for (Future<Boolean> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
