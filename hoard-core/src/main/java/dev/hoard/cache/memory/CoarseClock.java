package dev.hoard.cache.memory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wall-clock milliseconds refreshed by one daemon thread every {@value #TICK_MILLIS} ms, so a cache
 * hit can rule out expiry with a volatile read instead of a clock call. Callers must read the
 * precise clock for entries within {@link #SAFETY_MARGIN_MILLIS} of expiry: the margin covers the
 * tick and any stall of the updating thread short of a second.
 */
final class CoarseClock {

  static final long TICK_MILLIS = 10;
  static final long SAFETY_MARGIN_MILLIS = 1_000;

  private static volatile long now = System.currentTimeMillis();

  static {
    Thread ticker = new Thread(CoarseClock::tick, "hoard-coarse-clock");
    ticker.setDaemon(true);
    ticker.start();
  }

  private CoarseClock() {}

  static long millis() {
    return now;
  }

  private static void tick() {
    while (true) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
      now = System.currentTimeMillis();
    }
  }
}
