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

  /** The next key index, for a key count of {@code mask + 1} (a power of two). */
  int advance(int mask) {
    return next++ & mask;
  }
}
