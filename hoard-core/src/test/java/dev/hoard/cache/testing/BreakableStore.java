package dev.hoard.cache.testing;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real store that a test can break: while {@link #breakDown()} is in force every operation
 * throws {@link CacheException}, as an unreachable server would. It counts the operations that
 * reached it, so tests can prove a circuit breaker kept calls away.
 */
public class BreakableStore implements CacheStore {

  private final CacheStore delegate;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean broken;

  public BreakableStore(CacheStore delegate) {
    this.delegate = delegate;
  }

  public void breakDown() {
    broken = true;
  }

  public void repair() {
    broken = false;
  }

  /** Operations that reached this store, broken or not. */
  public int calls() {
    return calls.get();
  }

  public CacheStore delegate() {
    return delegate;
  }

  private void reach(String operation) {
    calls.incrementAndGet();
    if (broken) {
      throw new CacheException("test store is down (" + operation + ")");
    }
  }

  @Override
  public Clock clock() {
    return delegate.clock();
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public String description() {
    return "breakable " + delegate.description();
  }

  @Override
  public Object get(String key) {
    reach("get");
    return delegate.get(key);
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    reach("put");
    delegate.put(key, value, expiresAt);
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    reach("putIfAbsent");
    return delegate.putIfAbsent(key, value, expiresAt);
  }

  @Override
  public boolean delete(String key) {
    reach("delete");
    return delegate.delete(key);
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    reach("increment");
    return delegate.increment(key, delta, expiresAtIfCreated);
  }

  @Override
  public GcraOutcome gcra(String key, GcraStep step) {
    reach("gcra");
    return delegate.gcra(key, step);
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    reach("touch");
    return delegate.touch(key, expiresAt);
  }

  @Override
  public long expiresAt(String key) {
    reach("expiresAt");
    return delegate.expiresAt(key);
  }

  /** Lazy like a server-side scan: breaking the store part-way fails the rest of the stream. */
  @Override
  public Stream<String> keys(Glob glob) {
    reach("keys");
    return delegate.keys(glob).peek(key -> {
      if (broken) {
        throw new CacheException("test store went down during a scan");
      }
    });
  }

  @Override
  public void clear() {
    reach("clear");
    delegate.clear();
  }

  @Override
  public StoreReport report() {
    reach("report");
    return delegate.report();
  }

  @Override
  public StoreStatistics statistics() {
    reach("statistics");
    return delegate.statistics();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
