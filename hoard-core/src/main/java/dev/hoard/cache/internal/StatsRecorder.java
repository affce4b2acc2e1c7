package dev.hoard.cache.internal;

import dev.hoard.cache.CacheStats;
import dev.hoard.cache.spi.StoreStatistics;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** The counters one cache and its views share; cheap to bump from many threads. */
final class StatsRecorder {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder errors = new LongAdder();

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void misses(int count) {
    misses.add(count);
  }

  void puts(int count) {
    puts.add(count);
  }

  void loadSucceeded(long nanos) {
    loadSuccesses.increment();
    loadNanos.add(nanos);
  }

  void loadFailed(long nanos) {
    loadFailures.increment();
    loadNanos.add(nanos);
  }

  void error() {
    errors.increment();
  }

  /** The counters with the store's; {@code size} as the store or its report tells it. */
  CacheStats snapshot(StoreStatistics store, long size) {
    // Writes are counted as the cache hands them to the store; those a failing store dropped are
    // taken back out so that puts counts only entries that were written.
    return new CacheStats(
        hits.sum(),
        misses.sum(),
        Math.max(0, puts.sum() - store.droppedWrites()),
        store.evictions(),
        store.expirations(),
        loadSuccesses.sum(),
        loadFailures.sum(),
        Duration.ofNanos(loadNanos.sum()),
        errors.sum() + store.errors(),
        size,
        store.droppedWrites(),
        store.replayOverflows());
  }
}
