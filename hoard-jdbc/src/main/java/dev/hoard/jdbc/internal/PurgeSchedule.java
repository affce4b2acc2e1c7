package dev.hoard.jdbc.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a purge again and again on a daemon thread, each wait jittered by ±50% around the
 * interval so nodes started together drift apart instead of purging in lockstep. A failed run is
 * logged and the next one scheduled.
 */
public final class PurgeSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PurgeSchedule.class);

  private final ScheduledExecutorService executor;
  private final long intervalMillis;
  private final Runnable purge;
  private final String owner;
  private volatile boolean closed;

  private PurgeSchedule(String threadName, Duration interval, String owner, Runnable purge) {
    this.intervalMillis = interval.toMillis();
    this.purge = purge;
    this.owner = owner;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Starts purging every {@code interval} (jittered); {@code owner} names the store in logs.
   * Returns {@code null} when the interval is zero (purging is off).
   */
  public static PurgeSchedule start(
      String threadName, Duration interval, String owner, Runnable purge) {
    if (interval.isZero()) {
      return null;
    }
    PurgeSchedule schedule = new PurgeSchedule(threadName, interval, owner, purge);
    schedule.scheduleNext();
    return schedule;
  }

  private void scheduleNext() {
    long delay = intervalMillis / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, intervalMillis));
    try {
      executor.schedule(this::run, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing left to purge for.
    }
  }

  private void run() {
    try {
      purge.run();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn("{}: purging expired rows failed; will try again", owner, e);
      }
    } finally {
      if (!closed) {
        scheduleNext();
      }
    }
  }

  /** Stops the schedule and waits briefly for a run in progress. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
