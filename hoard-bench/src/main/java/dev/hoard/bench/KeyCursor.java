package dev.hoard.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Where each benchmark thread is in its walk over the keys: every thread starts at its own point,
 * so threads do not march over the same keys in step.
 */
@State(Scope.Thread)
public class KeyCursor {

  private int next = (int) (Thread.currentThread().getId() * 7919);
  private int random = (int) (Thread.currentThread().getId() * 0x9E3779B9L) | 1;

  /** The next key index, for a key count of {@code mask + 1} (a power of two). */
  int advance(int mask) {
    return next++ & mask;
  }

  /**
   * A random key index (xorshift, a few instructions), for a key count of {@code mask + 1}: unlike
   * {@link #advance}, successive keys are not neighbours in memory, so the hardware prefetcher
   * cannot hide a cache miss.
   */
  int random(int mask) {
    int x = random;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    random = x;
    return x & mask;
  }
}
