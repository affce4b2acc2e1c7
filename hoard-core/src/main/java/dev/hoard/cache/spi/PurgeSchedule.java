package dev.hoard.cache.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store's purge of expired entries again and again on its own daemon thread, for stores
 * whose backend does not expire entries by itself (files, SQL tables, session stores).
 *
 * <p>Each wait is drawn between half and one and a half intervals, so that nodes started together
 * drift apart instead of purging a shared backend in lockstep. A failed run is logged and the next
 * one scheduled: a failing purge never stops the schedule.
 */
public final class PurgeSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PurgeSchedule.class);

  private final ScheduledExecutorService executor;
  private final long intervalMillis;
  private final LongSupplier purge;
  private final String owner;
  private volatile boolean closed;

  private PurgeSchedule(String threadName, Duration interval, String owner, LongSupplier purge) {
    this.intervalMillis = interval.toMillis();
    this.purge = purge;
    this.owner = owner;
    this.executor = interval.isZero() ? null : Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts running {@code purge} about every {@code interval} on a daemon thread named
   * {@code threadName}; {@link Duration#ZERO} starts nothing (the store then purges only when
   * asked). {@code purge} returns how many entries it removed; {@code owner} names the store in
   * the log.
   *
   * @throws IllegalArgumentException if the interval is negative
   */
  public static PurgeSchedule start(
      String threadName, Duration interval, String owner, LongSupplier purge) {
    Objects.requireNonNull(threadName, "threadName");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(purge, "purge");
    if (interval.isNegative()) {
      throw new IllegalArgumentException(
          "a purge interval must be positive, or zero for none, was " + interval);
    }
    PurgeSchedule schedule = new PurgeSchedule(threadName, interval, owner, purge);
    if (schedule.executor != null) {
      schedule.scheduleNext();
    }
    return schedule;
  }

  private void scheduleNext() {
    long delay = intervalMillis / 2 + ThreadLocalRandom.current().nextLong(intervalMillis + 1);
    try {
      executor.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing left to purge for.
    }
  }

  private void run() {
    try {
      long removed = purge.getAsLong();
      if (removed > 0) {
        LOG.debug("{}: purged {} expired entries", owner, removed);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("{}: purging expired entries failed; will try again", owner, e);
      }
    } finally {
      if (!closed) {
        scheduleNext();
      }
    }
  }

  /** Stops the schedule and waits up to ten seconds for a run in progress to end. */
  @Override
  public void close() {
    closed = true;
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
