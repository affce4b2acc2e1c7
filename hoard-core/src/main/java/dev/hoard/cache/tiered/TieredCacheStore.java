package dev.hoard.cache.tiered;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ConnectionListener;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.Invalidation;
import dev.hoard.cache.spi.InvalidationBus;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.cache.spi.ValueWithExpiry;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A near cache: an in-process L1 in front of any shared L2 store (Redis, SQL, file…), itself a
 * {@link CacheStore} so a {@link dev.hoard.cache.Cache} sits on top unchanged.
 *
 * <p>Reads try L1, then L2, and copy what L2 had into L1 for at most {@code l1MaxTtl} and never
 * past the L2 entry's own expiry. {@code put} writes L2, then L1. {@code delete}, {@code
 * increment}, {@code putIfAbsent}, {@code touch} and batch writes go to L2 and drop the L1 copy.
 * Both tiers hold the same bytes: the L2 must be a byte store, and so is the L1.
 *
 * <p><b>Staleness.</b> Every change is published on the {@link InvalidationBus}, and every other
 * near cache drops the named keys when the message arrives; a process never drops its own fresh
 * copy for its own message. While the bus is disconnected L1 is emptied and bypassed, and it is
 * emptied again on reconnect, so a message lost in between cannot leave a stale copy. The bound
 * after another process's write is therefore the bus's delivery delay, and {@code l1MaxTtl}
 * whatever happens (also without a bus, or if a process writes L2 without going through a near
 * cache). Inside one process, reads racing a write or an invalidation cannot put the old value
 * back into L1: each copy is checked against per-key change counters after it is made.
 *
 * <p><b>Writes with an unknown outcome.</b> A write that fails with a {@link CacheException} (a
 * timeout, a connection dropped mid-call) may still have been applied, for instance by a frozen
 * server when it resumes, while the bus stayed connected. Such keys are dropped from L1 at once
 * and remembered (up to 10,000 keys, beyond that "everything"); in the background the near cache
 * then reads them from L2 again every 100 ms until L2 answers, which proves that the write before
 * the read on the same connection was applied or lost, and publishes their invalidation. Other
 * processes therefore drop their copies within about that interval after L2 answers again, not
 * after {@code l1MaxTtl}. The reads run on the common fork-join pool ({@link
 * CompletableFuture#delayedExecutor}), one at a time per near cache.
 *
 * <p>Closing it closes its subscription, L1 and L2, not the bus (one bus usually serves several
 * caches).
 */
public final class TieredCacheStore implements CacheStore {

  /** How long an L1 copy may live unless set. */
  public static final Duration DEFAULT_L1_MAX_TTL = Duration.ofSeconds(30);

  /** Entries the default L1 holds. */
  public static final long DEFAULT_L1_MAXIMUM_SIZE = 10_000;

  private static final Logger log = LoggerFactory.getLogger(TieredCacheStore.class);
  private static final int STRIPES = 1024;
  private static final int MAX_UNSETTLED_KEYS = 10_000;
  private static final int SETTLE_BATCH = 100;
  private static final long SETTLE_RETRY_MILLIS = 100;

  private final CacheStore l1;
  private final CacheStore l2;
  private final InvalidationBus bus;
  private final long l1MaxTtlMillis;
  private final String origin = UUID.randomUUID().toString();
  // Bumped on every change to a key of the stripe, and epoch on every flush; a copy into L1 made
  // from an L2 read is undone if either moved since before that read.
  private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
  private final AtomicLong epoch = new AtomicLong();
  private final AtomicBoolean publishFailing = new AtomicBoolean();
  private final LongAdder l1Hits = new LongAdder();
  private final LongAdder l1Misses = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();
  private final LongAdder l1Flushes = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final InvalidationBus.Subscription subscription;
  // Keys written with an unknown outcome whose invalidation is still to be published, each with
  // the number of its latest failure so that settling an older one does not forget a newer one.
  private final Map<String, Long> unsettledKeys = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean unsettledEverything = new AtomicBoolean();
  private final AtomicBoolean settling = new AtomicBoolean();
  private volatile boolean l1Usable = true;
  private volatile boolean closed;

  private TieredCacheStore(Builder builder) {
    this.l2 = builder.l2;
    this.l1 = builder.l1 != null
        ? builder.l1
        : MemoryCacheStore.builder().clock(l2.clock()).copyValues()
            .maximumSize(DEFAULT_L1_MAXIMUM_SIZE).build();
    this.bus = builder.bus;
    this.l1MaxTtlMillis = builder.l1MaxTtl.toMillis();
    if (bus != null) {
      this.subscription = bus.subscribe(new BusListener());
      if (!bus.isConnected()) {
        l1Usable = false;
      }
    } else {
      this.subscription = null;
    }
  }

  /** Starts configuring a near cache. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What the near cache has done: L1 hits and misses, invalidations received from other
   * processes, L1 flushes (clears and bus disconnects), and failed publications.
   *
   * @param l1Hits reads answered by L1
   * @param l1Misses reads that went on to L2
   * @param invalidationsReceived messages from other near caches
   * @param l1Flushes times L1 was emptied as a whole
   * @param publishFailures invalidations that could not be sent
   */
  public record TierStatistics(
      long l1Hits, long l1Misses, long invalidationsReceived, long l1Flushes,
      long publishFailures) {}

  /** The near cache's own counters; the L2's are in {@link #statistics()}. */
  public TierStatistics tierStatistics() {
    return new TierStatistics(l1Hits.sum(), l1Misses.sum(), invalidationsReceived.sum(),
        l1Flushes.sum(), publishFailures.sum());
  }

  /** The id this near cache puts on its invalidations. */
  public String origin() {
    return origin;
  }

  // ---- reads

  @Override
  public Object get(String key) {
    if (!l1Usable) {
      return l2.get(key);
    }
    Object local = l1.get(key);
    if (local != null) {
      l1Hits.increment();
      return local;
    }
    return readThrough(key);
  }

  /**
   * An L1 hit is decoded by L1, which may hand out the object it decoded before (see {@link
   * MemoryCacheStore.Builder#shareDecodedValues()}); a value read from L2 is decoded here.
   */
  @Override
  public Object getDecoded(String key, Type type, ValueDecoder decoder) {
    Object stored;
    if (!l1Usable) {
      stored = l2.get(key);
    } else {
      Object local = l1.getDecoded(key, type, decoder);
      if (local != null) {
        l1Hits.increment();
        return local;
      }
      stored = readThrough(key);
      if (stored != null) {
        // Decoded through L1 when the copy made it there, so the next hit reuses this object.
        Object promoted = l1.getDecoded(key, type, decoder);
        if (promoted != null) {
          return promoted;
        }
      }
    }
    return stored == null ? null : decoder.decode(stored, type);
  }

  /** After an L1 miss: reads L2 and copies what it has into L1. */
  private Object readThrough(String key) {
    l1Misses.increment();
    int stripe = stripe(key);
    long epochBefore = epoch.get();
    long stripeBefore = stripes.get(stripe);
    ValueWithExpiry remote = l2.getWithExpiry(key);
    if (remote == null) {
      return null;
    }
    promote(key, remote, stripe, epochBefore, stripeBefore);
    return remote.value();
  }

  /** An L1 hit completes at once; a miss reads L2 without blocking and promotes what it finds. */
  @Override
  public CompletionStage<Object> getAsync(String key) {
    if (!l1Usable) {
      return l2.getAsync(key);
    }
    Object local = l1.get(key);
    if (local != null) {
      l1Hits.increment();
      return CompletableFuture.completedFuture(local);
    }
    l1Misses.increment();
    int stripe = stripe(key);
    long epochBefore = epoch.get();
    long stripeBefore = stripes.get(stripe);
    return l2.getWithExpiryAsync(key).thenApply(remote -> {
      if (remote == null) {
        return null;
      }
      promote(key, remote, stripe, epochBefore, stripeBefore);
      return remote.value();
    });
  }

  @Override
  public Map<String, Object> getAll(Collection<String> keys) {
    if (!l1Usable) {
      return l2.getAll(keys);
    }
    Map<String, Object> found = new HashMap<>(l1.getAll(keys));
    l1Hits.add(found.size());
    List<String> missing = new ArrayList<>();
    for (String key : keys) {
      if (!found.containsKey(key)) {
        missing.add(key);
      }
    }
    if (missing.isEmpty()) {
      return found;
    }
    l1Misses.add(missing.size());
    long epochBefore = epoch.get();
    long[] stripesBefore = new long[missing.size()];
    for (int i = 0; i < stripesBefore.length; i++) {
      stripesBefore[i] = stripes.get(stripe(missing.get(i)));
    }
    Map<String, ValueWithExpiry> remote = l2.getAllWithExpiry(missing);
    for (int i = 0; i < stripesBefore.length; i++) {
      String key = missing.get(i);
      ValueWithExpiry entry = remote.get(key);
      if (entry != null) {
        found.put(key, entry.value());
        promote(key, entry, stripe(key), epochBefore, stripesBefore[i]);
      }
    }
    return found;
  }

  /** Copies an L2 entry into L1 unless something changed the key since it was read. */
  private void promote(
      String key, ValueWithExpiry entry, int stripe, long epochBefore, long stripeBefore) {
    long l1ExpiresAt = l1ExpiresAt(entry.expiresAt());
    if (l1ExpiresAt == ABSENT || !l1Usable) {
      return;
    }
    // putIfAbsent: a value written here meanwhile is newer than what we read.
    l1.putIfAbsent(key, entry.value(), l1ExpiresAt);
    if (epoch.get() != epochBefore || stripes.get(stripe) != stripeBefore) {
      l1.delete(key);
    }
  }

  @Override
  public long expiresAt(String key) {
    return l2.expiresAt(key);
  }

  @Override
  public Stream<String> keys(Glob glob) {
    return l2.keys(glob);
  }

  // ---- writes

  @Override
  public void put(String key, Object value, long expiresAt) {
    int stripe = stripe(key);
    long epochBefore = epoch.get();
    long stripeBefore = stripes.get(stripe);
    try {
      l2.put(key, value, expiresAt);
    } catch (RuntimeException | Error e) {
      // The write may have reached L2 anyway; never keep a copy that might be the old value.
      dropLocally(key);
      unsettled(List.of(key), e);
      throw e;
    }
    afterPut(key, value, expiresAt, stripe, epochBefore, stripeBefore);
  }

  /** After L2 took a put: keeps the value in L1 unless a newer write raced it, and publishes. */
  private void afterPut(
      String key, Object value, long expiresAt, int stripe, long epochBefore, long stripeBefore) {
    long mine = stripes.incrementAndGet(stripe);
    long l1ExpiresAt = l1ExpiresAt(expiresAt);
    if (l1Usable && l1ExpiresAt != ABSENT && mine == stripeBefore + 1) {
      l1.put(key, value, l1ExpiresAt);
      // An invalidation that arrived while we wrote may carry a later write from elsewhere.
      if (epoch.get() != epochBefore || stripes.get(stripe) != mine) {
        l1.delete(key);
      }
    } else {
      l1.delete(key);
    }
    publish(Invalidation.ofKeys(origin, List.of(key)));
  }

  /** The L2 write without blocking; then L1 and the other processes are told, as by {@link #put}. */
  @Override
  public CompletionStage<Void> putAsync(String key, Object value, long expiresAt) {
    int stripe = stripe(key);
    long epochBefore = epoch.get();
    long stripeBefore = stripes.get(stripe);
    return l2.putAsync(key, value, expiresAt).handle((done, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        dropLocally(key);
        unsettled(List.of(key), cause);
        throw failure instanceof CompletionException completion
            ? completion : new CompletionException(cause);
      }
      afterPut(key, value, expiresAt, stripe, epochBefore, stripeBefore);
      return null;
    });
  }

  /** {@link #delete} with the L2 call in flight instead of awaited. */
  @Override
  public CompletionStage<Boolean> deleteAsync(String key) {
    return l2.deleteAsync(key).handle((deleted, failure) -> {
      dropLocally(key);
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        unsettled(List.of(key), cause);
        throw failure instanceof CompletionException completion
            ? completion : new CompletionException(cause);
      }
      publish(Invalidation.ofKeys(origin, List.of(key)));
      return deleted;
    });
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    boolean added = writeL2(List.of(key), () -> l2.putIfAbsent(key, value, expiresAt));
    if (added) {
      publish(Invalidation.ofKeys(origin, List.of(key)));
    }
    return added;
  }

  @Override
  public boolean delete(String key) {
    boolean deleted = writeL2(List.of(key), () -> l2.delete(key));
    // Published even when L2 had nothing: another L1 may still hold an entry L2 evicted.
    publish(Invalidation.ofKeys(origin, List.of(key)));
    return deleted;
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    long value = writeL2(List.of(key), () -> l2.increment(key, delta, expiresAtIfCreated));
    publish(Invalidation.ofKeys(origin, List.of(key)));
    return value;
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    boolean touched = writeL2(List.of(key), () -> l2.touch(key, expiresAt));
    if (touched) {
      publish(Invalidation.ofKeys(origin, List.of(key)));
    }
    return touched;
  }

  @Override
  public void putAll(Map<String, ?> entries, long expiresAt) {
    writeL2(entries.keySet(), () -> {
      l2.putAll(entries, expiresAt);
      return null;
    });
    publish(Invalidation.ofKeys(origin, List.copyOf(entries.keySet())));
  }

  @Override
  public long deleteAll(Collection<String> keys) {
    long deleted = writeL2(keys, () -> l2.deleteAll(keys));
    publish(Invalidation.ofKeys(origin, List.copyOf(keys)));
    return deleted;
  }

  @Override
  public long deleteMatching(Glob glob) {
    long deleted;
    try {
      deleted = l2.deleteMatching(glob);
    } catch (CacheException e) {
      unsettledEverything();
      throw e;
    } finally {
      dropMatchingLocally(glob);
    }
    publish(Invalidation.ofGlob(origin, glob));
    return deleted;
  }

  @Override
  public void clear() {
    try {
      l2.clear();
    } catch (CacheException e) {
      unsettledEverything();
      throw e;
    } finally {
      flushLocally();
    }
    publish(Invalidation.ofEverything(origin));
  }

  /** Locks live in L2 only: they are never read through L1 and announce nothing. */
  @Override
  public boolean tryLock(String key, byte[] token, long expiresAt) {
    return l2.tryLock(key, token, expiresAt);
  }

  @Override
  public boolean unlock(String key, byte[] token) {
    return l2.unlock(key, token);
  }

  /** Token-bucket state lives in L2 only, like locks: L1 never holds a copy to drop. */
  @Override
  public GcraOutcome gcra(String key, GcraStep step) {
    return l2.gcra(key, step);
  }

  // ---- writes with an unknown outcome

  /** Runs a write on L2 and drops the keys from L1 whatever happens. */
  private <T> T writeL2(Collection<String> keys, Supplier<T> write) {
    try {
      return write.get();
    } catch (RuntimeException | Error e) {
      unsettled(keys, e);
      throw e;
    } finally {
      keys.forEach(this::dropLocally);
    }
  }

  /**
   * Remembers keys whose write failed in a way that may still have applied it, to announce them
   * once L2 answers. Other failures (a value that is not a counter) changed nothing.
   */
  private void unsettled(Collection<String> keys, Throwable failure) {
    if (bus == null || !(failure instanceof CacheException)) {
      return;
    }
    if (unsettledKeys.size() + keys.size() > MAX_UNSETTLED_KEYS) {
      unsettledEverything();
      return;
    }
    long number = failures.incrementAndGet();
    keys.forEach(key -> unsettledKeys.put(key, number));
    settleLater();
  }

  private void unsettledEverything() {
    if (bus != null) {
      unsettledEverything.set(true);
      settleLater();
    }
  }

  private void settleLater() {
    if (!closed && settling.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(SETTLE_RETRY_MILLIS, TimeUnit.MILLISECONDS)
          .execute(this::settle);
    }
  }

  /**
   * Reads a batch of unsettled keys from L2 and, once it answers, publishes their invalidation;
   * runs again while any are left. The read travels on the connections the failed writes used,
   * behind them, so when it answers those writes are applied or lost for good.
   */
  private void settle() {
    try {
      if (closed) {
        return;
      }
      boolean everything = unsettledEverything.get();
      Map<String, Long> batch = new HashMap<>();
      for (Map.Entry<String, Long> entry : unsettledKeys.entrySet()) {
        if (batch.size() == SETTLE_BATCH) {
          break;
        }
        batch.put(entry.getKey(), entry.getValue());
      }
      if (batch.isEmpty() && !everything) {
        return;
      }
      try {
        l2.getAll(batch.isEmpty() ? List.of(origin) : batch.keySet());
        bus.publish(everything
            ? Invalidation.ofEverything(origin)
            : Invalidation.ofKeys(origin, List.copyOf(batch.keySet())));
        if (everything) {
          unsettledEverything.set(false);
        }
        // Only keys whose write failed no later than this batch was taken.
        batch.forEach(unsettledKeys::remove);
      } catch (RuntimeException e) {
        // Not answering yet: try again shortly.
      }
    } finally {
      settling.set(false);
      if (!unsettledKeys.isEmpty() || unsettledEverything.get()) {
        settleLater();
      }
    }
  }

  // ---- L1 bookkeeping

  private static int stripe(String key) {
    int h = key.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  /** The L1 expiry for an entry expiring at {@code expiresAt}, or ABSENT to keep no copy. */
  private long l1ExpiresAt(long expiresAt) {
    long now = l2.clock().millis();
    long bound = now > Long.MAX_VALUE - l1MaxTtlMillis ? NEVER : now + l1MaxTtlMillis;
    long l1ExpiresAt = Math.min(expiresAt, bound);
    return l1ExpiresAt <= now ? ABSENT : l1ExpiresAt;
  }

  private void dropLocally(String key) {
    stripes.incrementAndGet(stripe(key));
    l1.delete(key);
  }

  private void dropMatchingLocally(Glob glob) {
    epoch.incrementAndGet();
    if (l1.capabilities().contains(StoreCapability.KEY_SCAN)) {
      l1.deleteMatching(glob);
    } else {
      l1.clear();
    }
  }

  private void flushLocally() {
    epoch.incrementAndGet();
    l1.clear();
    l1Flushes.increment();
  }

  private void publish(Invalidation invalidation) {
    if (bus == null) {
      return;
    }
    try {
      bus.publish(invalidation);
      if (publishFailing.compareAndSet(true, false)) {
        log.info("near cache over {} publishes invalidations again", l2.description());
      }
    } catch (RuntimeException e) {
      // The write itself reached L2: report it done. Other L1s hold at most l1MaxTtl longer.
      publishFailures.increment();
      if (publishFailing.compareAndSet(false, true)) {
        log.warn("near cache over {} cannot publish invalidations on {}; other processes may"
                + " serve old values for up to {} ms: {}", l2.description(), bus,
            l1MaxTtlMillis, e.toString());
      }
    }
  }

  /** Applies other processes' invalidations and keeps L1 out of use while messages may be lost. */
  private final class BusListener implements InvalidationBus.Listener {
    @Override
    public void invalidated(Invalidation invalidation) {
      if (invalidation.origin().equals(origin)) {
        return;
      }
      invalidationsReceived.increment();
      if (invalidation.everything()) {
        flushLocally();
        return;
      }
      invalidation.keys().forEach(TieredCacheStore.this::dropLocally);
      for (String glob : invalidation.globs()) {
        dropMatchingLocally(Glob.of(glob));
      }
    }

    @Override
    public void connectionLost() {
      l1Usable = false;
      flushLocally();
      log.warn("near cache over {} lost its invalidation bus; L1 bypassed until it reconnects",
          l2.description());
    }

    @Override
    public void reconnected() {
      flushLocally();
      l1Usable = true;
      log.info("near cache over {} reconnected to its invalidation bus; L1 flushed and in use",
          l2.description());
    }
  }

  // ---- the rest of CacheStore

  @Override
  public Clock clock() {
    return l2.clock();
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return l2.capabilities();
  }

  @Override
  public String description() {
    return "tiered (L1 " + l1.description() + " for at most " + l1MaxTtlMillis + " ms, L2 "
        + l2.description() + ")";
  }

  /** The L2's: an L1 in this process does not fail. */
  @Override
  public String failureDomain(String key) {
    return l2.failureDomain(key);
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    l2.addConnectionListener(listener);
  }

  /** The L2's counters, which are the shared store's. */
  @Override
  public StoreStatistics statistics() {
    return l2.statistics();
  }

  /** The L2's report: the shared store is what its servers describe. */
  @Override
  public StoreReport report() {
    return l2.report();
  }

  /** Ends the bus subscription and closes L1 and L2. */
  @Override
  public void close() {
    closed = true;
    try {
      if (subscription != null) {
        subscription.close();
      }
      l1.close();
    } finally {
      l2.close();
    }
  }

  @Override
  public String toString() {
    return description();
  }

  /** Configures a {@link TieredCacheStore}. */
  public static final class Builder {
    private CacheStore l1;
    private CacheStore l2;
    private InvalidationBus bus;
    private Duration l1MaxTtl = DEFAULT_L1_MAX_TTL;

    private Builder() {}

    /**
     * The in-process tier; by default a {@link MemoryCacheStore} of {@link
     * TieredCacheStore#DEFAULT_L1_MAXIMUM_SIZE} entries that keeps bytes, on the L2's clock. A
     * store given here must keep bytes ({@link MemoryCacheStore.Builder#copyValues()}) and use the
     * L2's clock. Add {@link MemoryCacheStore.Builder#shareDecodedValues()} so that a {@link
     * dev.hoard.cache.Cache} over the near cache decodes each L1 entry once rather than per hit.
     */
    public Builder l1(CacheStore l1) {
      this.l1 = Objects.requireNonNull(l1, "l1");
      return this;
    }

    /** The shared store: required, and a byte store. */
    public Builder l2(CacheStore l2) {
      this.l2 = Objects.requireNonNull(l2, "l2");
      return this;
    }

    /** Where changes are announced to other processes; none means L1 copies live up to l1MaxTtl. */
    public Builder bus(InvalidationBus bus) {
      this.bus = Objects.requireNonNull(bus, "bus");
      return this;
    }

    /** The longest an L1 copy lives, whatever the L2 entry's TTL; 30 seconds unless set. */
    public Builder l1MaxTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("l1MaxTtl must be positive, was " + ttl);
      }
      this.l1MaxTtl = ttl;
      return this;
    }

    /**
     * Builds the near cache.
     *
     * @throws IllegalArgumentException if no L2 was given, or either tier keeps references
     */
    public TieredCacheStore build() {
      if (l2 == null) {
        throw new IllegalArgumentException("a tiered store needs an L2: builder().l2(store)");
      }
      if (l2.capabilities().contains(StoreCapability.STORES_REFERENCES)) {
        throw new IllegalArgumentException(
            "L2 " + l2.description() + " keeps references; a near cache goes in front of a"
                + " byte store such as Redis or a file store (use the memory store directly)");
      }
      if (l1 != null && l1.capabilities().contains(StoreCapability.STORES_REFERENCES)) {
        throw new IllegalArgumentException(
            "L1 " + l1.description() + " keeps references but must hold the same bytes as L2;"
                + " build it with MemoryCacheStore.builder().copyValues()");
      }
      return new TieredCacheStore(this);
    }
  }
}
