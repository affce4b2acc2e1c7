package dev.hoard.cache.resilience.internal;

import dev.hoard.cache.resilience.ReplayOverflowPolicy;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Invalidations a failing store could not apply, kept in order (up to a number of keys) and
 * replayed before the store is used again, so that an entry the application deleted during an
 * outage cannot be read again after it.
 *
 * <p>Invalidations only remove entries, so replaying them in any order gives the same store; what
 * matters is that all of them are applied before any other call. A {@code clear} makes everything
 * queued before it redundant, and so does an overflow under {@link ReplayOverflowPolicy#CLEAR}.
 */
public final class PendingInvalidations {

  /** What {@link #add} did with an invalidation. */
  public enum Outcome {
    /** Queued for replay. */
    QUEUED,
    /** Did not fit; the queue now clears the whole store on replay. */
    OVERFLOWED_TO_CLEAR,
    /** Did not fit and was forgotten. */
    OVERFLOWED_AND_DROPPED
  }

  private sealed interface Invalidation {
    int weight();

    void applyTo(CacheStore store);
  }

  private record Keys(List<String> keys) implements Invalidation {
    @Override
    public int weight() {
      return keys.size();
    }

    @Override
    public void applyTo(CacheStore store) {
      if (keys.size() == 1) {
        store.delete(keys.get(0));
      } else {
        store.deleteAll(keys);
      }
    }
  }

  private record Matching(Glob glob) implements Invalidation {
    @Override
    public int weight() {
      return 1;
    }

    @Override
    public void applyTo(CacheStore store) {
      store.deleteMatching(glob);
    }
  }

  private record Everything() implements Invalidation {
    @Override
    public int weight() {
      return 1;
    }

    @Override
    public void applyTo(CacheStore store) {
      store.clear();
    }
  }

  private final int capacity;
  private final ReplayOverflowPolicy overflowPolicy;
  private final ArrayDeque<Invalidation> queue = new ArrayDeque<>();
  private final ReentrantLock replaying = new ReentrantLock();
  private int weight;
  private boolean clearQueued;
  private Invalidation applying;
  private volatile boolean empty = true;

  /** Holds up to {@code capacity} keys; {@code overflowPolicy} decides what happens beyond. */
  public PendingInvalidations(int capacity, ReplayOverflowPolicy overflowPolicy) {
    this.capacity = capacity;
    this.overflowPolicy = overflowPolicy;
  }

  /** Whether nothing waits for replay; one volatile read, for the hot path. */
  public boolean isEmpty() {
    return empty;
  }

  /** Queues the deletion of {@code keys}. */
  public Outcome addKeys(List<String> keys) {
    return add(new Keys(List.copyOf(keys)));
  }

  /** Queues the deletion of the keys matching {@code glob}. */
  public Outcome addMatching(Glob glob) {
    return add(new Matching(glob));
  }

  /** Queues a clear, which makes every invalidation queued so far redundant. */
  public synchronized Outcome addClear() {
    queue.clear();
    weight = 0;
    clearQueued = false;
    return add(new Everything());
  }

  private synchronized Outcome add(Invalidation invalidation) {
    if (clearQueued && queue.peek() != applying) {
      return Outcome.QUEUED; // the clear waiting in the queue removes it too
    }
    if (weight + invalidation.weight() > capacity) {
      if (overflowPolicy == ReplayOverflowPolicy.DROP) {
        return Outcome.OVERFLOWED_AND_DROPPED;
      }
      queue.clear();
      queue.add(new Everything());
      weight = 1;
      clearQueued = true;
      empty = false;
      return Outcome.OVERFLOWED_TO_CLEAR;
    }
    queue.add(invalidation);
    weight += invalidation.weight();
    clearQueued = invalidation instanceof Everything;
    empty = false;
    return Outcome.QUEUED;
  }

  /**
   * Applies every queued invalidation to {@code store}, oldest first. When another thread is
   * replaying already, waits for it until {@code deadline} (a {@link System#nanoTime()}); a
   * thread that got its turn only by waiting replays what is left only if {@code proceed} still
   * says the store answers (the thread before it may have failed on a frozen store, and one
   * timeout per thread is enough).
   *
   * @return true when the queue is empty now; false when another thread was still replaying at
   *     the deadline, or {@code proceed} said no
   * @throws RuntimeException what the store threw; the failed invalidation and those after it
   *     stay queued
   */
  public boolean replay(CacheStore store, long deadline, BooleanSupplier proceed) {
    boolean waited = false;
    if (!replaying.tryLock()) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !replaying.tryLock(left, TimeUnit.NANOSECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      waited = true;
    }
    if (waited && !empty && !proceed.getAsBoolean()) {
      replaying.unlock();
      return false;
    }
    try {
      while (true) {
        Invalidation next;
        synchronized (this) {
          next = queue.peek();
          if (next == null) {
            empty = true;
            return true;
          }
          applying = next;
        }
        try {
          next.applyTo(store);
        } finally {
          synchronized (this) {
            applying = null;
          }
        }
        synchronized (this) {
          // A clear added meanwhile emptied the queue and is the head now: keep it.
          if (queue.peek() == next) {
            queue.poll();
            weight -= next.weight();
            if (next instanceof Everything) {
              clearQueued = false;
            }
          }
        }
      }
    } finally {
      replaying.unlock();
    }
  }

  /** Keys and clears waiting for replay. */
  public synchronized int size() {
    return weight;
  }
}
