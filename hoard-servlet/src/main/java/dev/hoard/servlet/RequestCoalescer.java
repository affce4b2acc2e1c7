package dev.hoard.servlet;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One trip to the origin per stored key at a time: the first request that misses leads and the
 * others wait for it (up to a timeout) and then read what it stored; and at most one background
 * revalidation per key. Thread-safe.
 */
final class RequestCoalescer {

  private final Duration timeout;
  private final Map<String, CompletableFuture<Void>> fetching = new ConcurrentHashMap<>();
  private final Set<String> revalidating = ConcurrentHashMap.newKeySet();

  /** Followers wait up to {@code timeout} for their leader. */
  public RequestCoalescer(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Makes the caller the leader for {@code key}, returning what it must run once its response is
   * stored or known not to be (the followers then go on), or returns {@code null} after waiting
   * for the current leader to do so, or for the timeout.
   */
  public Runnable leadOrAwait(String key) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> leader = fetching.putIfAbsent(key, mine);
    if (leader == null) {
      return () -> {
        fetching.remove(key, mine);
        mine.complete(null);
      };
    }
    try {
      leader.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Waited long enough: the follower goes to the origin itself.
    }
    return null;
  }

  /** Claims the background revalidation of {@code key}; false when one is already running. */
  public boolean startRevalidating(String key) {
    return revalidating.add(key);
  }

  /** Releases what {@link #startRevalidating} claimed. */
  public void doneRevalidating(String key) {
    revalidating.remove(key);
  }
}
