package dev.hoard.cache.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.hoard.cache.StoreGauge;
import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.cache.spi.ValueWithExpiry;
import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Iterator;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * An in-process store on Caffeine, bounded by entry count or by bytes, with per-entry expiry. It
 * keeps values by reference (no codec, no copies) unless built with {@link Builder#copyValues()}.
 *
 * <p>Expiry is checked by the store on every read rather than by Caffeine's expiration policy:
 * Caffeine's per-entry expiry reads the ticker and reorders its timer wheel on every hit, which
 * costs several times a plain hit. Expired entries are removed when read, by an incremental sweep
 * that examines a few entries on every write, and by the size bound.
 *
 * <p>Counters and token-bucket rate limits ({@link #gcra}) keep their state in place and
 * change it by compare-and-set, so incrementing a live counter or deciding on a busy key reads the
 * map and never writes it; only creating the state goes through Caffeine's atomic compute. An
 * increment racing with its counter's expiry may land on the expiring copy: it then counts as done
 * just before the expiry. A store that copies values keeps counters as bytes, changed by compute.
 */
public final class MemoryCacheStore implements CacheStore {

  /** Entry bound when none is given. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  private static final int ENTRY_OVERHEAD_BYTES = 64;
  private static final int SWEEP_EVERY_WRITES = 16;
  private static final int SWEEP_BATCH = 2 * SWEEP_EVERY_WRITES;

  /** A value with its expiry, and what it decoded to last, when decoded values are shared. */
  private static final class Entry {
    final Object value;
    final long expiresAt;
    // Racy by design: two readers may both decode and one result wins; either is right.
    Decoded decoded;

    Entry(Object value, long expiresAt) {
      this.value = value;
      this.expiresAt = expiresAt;
    }
  }

  /** A decoded value and the decoder and type that made it. */
  private record Decoded(ValueDecoder decoder, Type type, Object value) {}

  private final Clock clock;
  private final boolean systemClock;
  private final boolean copyValues;
  private final boolean shareDecodedValues;
  private final String description;
  private final Set<StoreCapability> capabilities;
  private final com.github.benmanes.caffeine.cache.Cache<String, Entry> cache;
  private final Map<String, Entry> map;
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();
  private final ReentrantLock sweepLock = new ReentrantLock();
  private Iterator<Map.Entry<String, Entry>> sweep;
  /** Writes since the last sweep; updated without synchronisation, a lost count only delays it. */
  private int writesSinceSweep;

  private MemoryCacheStore(Builder builder) {
    this.clock = builder.clock;
    this.systemClock = clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone());
    this.copyValues = builder.copyValues;
    this.shareDecodedValues = builder.shareDecodedValues;
    EnumSet<StoreCapability> can = EnumSet.of(StoreCapability.KEY_SCAN, StoreCapability.LOCKS,
        StoreCapability.GCRA, StoreCapability.NON_BLOCKING);
    if (!copyValues) {
      can.add(StoreCapability.STORES_REFERENCES);
    }
    this.capabilities = Collections.unmodifiableSet(can);
    Caffeine<String, Entry> caffeine = Caffeine.newBuilder()
        .<String, Entry>evictionListener((key, entry, cause) -> {
          if (cause == RemovalCause.SIZE) {
            evictions.increment();
          }
        });
    if (builder.maximumWeight > 0) {
      caffeine.maximumWeight(builder.maximumWeight).weigher(MemoryCacheStore::weigh);
      description = "memory (" + builder.maximumWeight + " bytes, copies values)";
    } else {
      caffeine.maximumSize(builder.maximumSize);
      description = "memory (" + builder.maximumSize + " entries"
          + (copyValues ? ", copies values)" : ")");
    }
    this.cache = caffeine.build();
    this.map = cache.asMap();
  }

  /** Starts configuring a memory store. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether an entry has expired. On the system clock most entries are decided by the coarse
   * clock alone; only entries within its safety margin of expiry read the precise clock.
   */
  private boolean expired(Entry entry) {
    long expiresAt = entry.expiresAt;
    if (expiresAt == NEVER) {
      return false;
    }
    if (systemClock && expiresAt - CoarseClock.millis() > CoarseClock.SAFETY_MARGIN_MILLIS) {
      return false;
    }
    return expiresAt <= clock.millis();
  }

  /** The live entry at {@code key}, removing it if it expired. */
  private Entry live(String key) {
    Entry entry = cache.getIfPresent(key);
    if (entry == null || !expired(entry)) {
      return entry;
    }
    if (map.remove(key, entry)) {
      expirations.increment();
    }
    return null;
  }

  /**
   * Every few writes, examines a batch of entries and drops the expired ones: two entries per
   * write on average, and the lock taken once per batch rather than on every write.
   */
  private void sweep() {
    if (++writesSinceSweep < SWEEP_EVERY_WRITES || !sweepLock.tryLock()) {
      return;
    }
    try {
      writesSinceSweep = 0;
      for (int i = 0; i < SWEEP_BATCH; i++) {
        if (sweep == null || !sweep.hasNext()) {
          sweep = map.entrySet().iterator();
          if (!sweep.hasNext()) {
            return;
          }
        }
        Map.Entry<String, Entry> next = sweep.next();
        if (expired(next.getValue()) && map.remove(next.getKey(), next.getValue())) {
          expirations.increment();
        }
      }
    } finally {
      sweepLock.unlock();
    }
  }

  private static int weigh(String key, Entry entry) {
    int valueBytes = entry.value instanceof byte[] bytes ? bytes.length : 16;
    return (int) Math.min(Integer.MAX_VALUE,
        (long) key.length() * 2 + valueBytes + ENTRY_OVERHEAD_BYTES);
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return capabilities;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Object get(String key) {
    Entry entry = live(key);
    return entry == null ? null : exposed(entry.value);
  }

  @Override
  public ValueWithExpiry getWithExpiry(String key) {
    Entry entry = live(key);
    return entry == null ? null : new ValueWithExpiry(exposed(entry.value), entry.expiresAt);
  }

  /** What callers see of a stored value: a counter's current value rather than its cell. */
  private static Object exposed(Object value) {
    return value instanceof CounterCell cell ? (Object) cell.value.get() : value;
  }

  /**
   * With {@link Builder#shareDecodedValues()}, decodes each entry once per decoder and type and
   * hands every later caller the same object; otherwise decodes on every call.
   */
  @Override
  public Object getDecoded(String key, Type type, ValueDecoder decoder) {
    Entry entry = live(key);
    if (entry == null) {
      return null;
    }
    if (!shareDecodedValues || entry.value instanceof CounterCell) {
      // A counter cell changes in place, so what it decoded to once cannot be kept.
      return decoder.decode(exposed(entry.value), type);
    }
    Decoded decoded = entry.decoded;
    if (decoded != null && decoded.decoder == decoder && decoded.type.equals(type)) {
      return decoded.value;
    }
    Object value = decoder.decode(entry.value, type);
    if (value != null) {
      entry.decoded = new Decoded(decoder, type, value);
    }
    return value;
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    cache.put(key, new Entry(checked(value), expiresAt));
    sweep();
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    Entry fresh = new Entry(checked(value), expiresAt);
    sweep();
    Entry winner = map.merge(key, fresh, (old, ignored) -> expired(old) ? fresh : old);
    return winner == fresh;
  }

  private Object checked(Object value) {
    if (copyValues && !(value instanceof byte[])) {
      throw new IllegalArgumentException(
          "this memory store copies values and keeps only byte[], got a "
              + value.getClass().getName());
    }
    return value;
  }

  /** A lock is an entry holding a copy of the token; only this process can see it. */
  @Override
  public boolean tryLock(String key, byte[] token, long expiresAt) {
    return putIfAbsent(key, token.clone(), expiresAt);
  }

  @Override
  public boolean unlock(String key, byte[] token) {
    Entry held = live(key);
    // Removing exactly the entry compared keeps a lock taken meanwhile by someone else.
    return held != null && held.value instanceof byte[] holder && Arrays.equals(holder, token)
        && map.remove(key, held);
  }

  @Override
  public boolean delete(String key) {
    Entry removed = map.remove(key);
    return removed != null && !expired(removed);
  }

  /**
   * A counter of a store that keeps references, changed in place by compare-and-set: incrementing
   * a live counter reads the map and never writes it (a Caffeine write costs far more than a read).
   * Readers see its value as a {@code Long}.
   */
  private static final class CounterCell {
    final AtomicLong value;

    CounterCell(long value) {
      this.value = new AtomicLong(value);
    }

    long add(long delta) {
      while (true) {
        long current = value.get();
        long next = Math.addExact(current, delta);
        if (value.compareAndSet(current, next)) {
          return next;
        }
      }
    }
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    if (!copyValues) {
      Entry entry = live(key);
      if (entry != null && entry.value instanceof CounterCell cell) {
        return cell.add(delta);
      }
    }
    sweep();
    long[] result = new long[1];
    map.compute(key, (k, old) -> {
      if (old == null || expired(old)) {
        result[0] = delta;
        return new Entry(newCounter(delta), expiresAtIfCreated);
      }
      if (old.value instanceof CounterCell cell) {
        result[0] = cell.add(delta);
        return old;
      }
      result[0] = Math.addExact(counterValue(k, old.value), delta);
      return new Entry(newCounter(result[0]), old.expiresAt);
    });
    return result[0];
  }

  private Object newCounter(long value) {
    return copyValues ? counter(value) : new CounterCell(value);
  }

  private Object counter(long value) {
    return copyValues ? CounterFormat.encode(value) : (Object) value;
  }

  private static long counterValue(String key, Object value) {
    return value instanceof CounterCell cell ? cell.value.get() : CounterFormat.decode(key, value);
  }

  /**
   * A token bucket's TAT in the map, changed in place by compare-and-set so that a decision on a
   * busy key reads the map and never writes it. The entry's expiry is kept beyond the TAT (by at
   * least the bucket's tolerance): only a step that would pass it goes through a compute, which
   * moves the expiry on. State lost with an expired entry is state whose TAT is already past, the
   * same as no state at all.
   */
  private static final class GcraCell {
    final AtomicLong tat;

    GcraCell(long tat) {
      this.tat = new AtomicLong(tat);
    }

    /** Applies the step by CAS; null when the new TAT would pass {@code horizonMicros}. */
    GcraOutcome apply(GcraStep step, long horizonMicros) {
      while (true) {
        long current = tat.get();
        GcraOutcome outcome = step.applyTo(current);
        if (!outcome.allowed()) {
          return outcome;
        }
        if (outcome.tatMicros() > horizonMicros) {
          return null;
        }
        if (tat.compareAndSet(current, outcome.tatMicros())) {
          return outcome;
        }
      }
    }
  }

  @Override
  public GcraOutcome gcra(String key, GcraStep step) {
    Entry entry = live(key);
    if (entry != null && entry.value instanceof GcraCell cell) {
      long horizon = step.nowMicros() + (entry.expiresAt - clock.millis()) * 1000;
      GcraOutcome outcome = cell.apply(step, horizon);
      if (outcome != null) {
        return outcome;
      }
    }
    return gcraByCompute(key, step);
  }

  /** Creates the state, or moves its expiry on, inside the map's atomic compute. */
  private GcraOutcome gcraByCompute(String key, GcraStep step) {
    sweep();
    long now = clock.millis();
    long slack = Math.max(1000, step.toleranceMicros() / 1000);
    GcraOutcome[] outcome = new GcraOutcome[1];
    map.compute(key, (k, old) -> {
      boolean live = old != null && !expired(old);
      if (live && old.value instanceof GcraCell cell) {
        outcome[0] = cell.apply(step, Long.MAX_VALUE);
        if (!outcome[0].allowed()) {
          return old;
        }
        long expiresAt = now + step.ttlMillis(outcome[0].tatMicros()) + slack;
        return expiresAt <= old.expiresAt ? old : new Entry(cell, expiresAt);
      }
      GcraOutcome result = step.applyTo(live ? counterValue(k, old.value) : GcraStep.NO_STATE);
      outcome[0] = result;
      if (!result.allowed()) {
        return live ? old : null;
      }
      long ttl = step.ttlMillis(result.tatMicros());
      return copyValues
          ? new Entry(counter(result.tatMicros()), now + ttl)
          : new Entry(new GcraCell(result.tatMicros()), now + ttl + slack);
    });
    return outcome[0];
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    Entry[] touched = new Entry[1];
    map.computeIfPresent(key, (k, old) -> {
      if (expired(old)) {
        return null;
      }
      touched[0] = new Entry(old.value, expiresAt);
      return touched[0];
    });
    return touched[0] != null;
  }

  @Override
  public long expiresAt(String key) {
    Entry entry = live(key);
    return entry == null ? ABSENT : entry.expiresAt;
  }

  @Override
  public Stream<String> keys(Glob glob) {
    Objects.requireNonNull(glob, "glob");
    return map.entrySet().stream()
        .filter(e -> !expired(e.getValue()) && glob.matches(e.getKey()))
        .map(Map.Entry::getKey);
  }

  @Override
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public StoreStatistics statistics() {
    return new StoreStatistics(
        evictions.sum(), expirations.sum(), 0, cache.estimatedSize());
  }

  /**
   * The entries, and for a store bounded by weight the bytes it estimates they take ({@code
   * hoard.memory.used}: keys, values and a fixed overhead per entry). Costs no more than {@link
   * #statistics()} plus Caffeine's pending maintenance.
   */
  @Override
  public StoreReport report() {
    // Caffeine weighs writes in batches; settle them so the figure includes the latest writes.
    cache.cleanUp();
    List<StoreGauge> gauges = new ArrayList<>();
    cache.policy().eviction().ifPresent(eviction -> eviction.weightedSize().ifPresent(bytes ->
        gauges.add(new StoreGauge("hoard.memory.used", Map.of(), bytes, "bytes",
            "estimated bytes of the entries (keys, values, overhead per entry)"))));
    return new StoreReport(cache.estimatedSize(), gauges);
  }

  /** Runs pending size evictions now; tests use it to observe them deterministically. */
  public void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }

  @Override
  public String toString() {
    return description;
  }

  /** Configures a {@link MemoryCacheStore}. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private long maximumWeight;
    private boolean copyValues;
    private boolean shareDecodedValues;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Bounds the store by entry count; least recently and frequently used entries go first. */
    public Builder maximumSize(long entries) {
      if (entries <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive, was " + entries);
      }
      this.maximumSize = entries;
      return this;
    }

    /**
     * Bounds the store by the bytes of its keys and values; implies {@link #copyValues()}, since
     * only encoded values have a size.
     */
    public Builder maximumWeight(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maximumWeight must be positive, was " + bytes);
      }
      this.maximumWeight = bytes;
      this.copyValues = true;
      return this;
    }

    /**
     * Keeps encoded copies instead of references, so a caller mutating an object after {@code
     * put} (or after {@code get}) cannot change what the cache holds.
     */
    public Builder copyValues() {
      this.copyValues = true;
      return this;
    }

    /**
     * Keeps what {@link MemoryCacheStore#getDecoded} decoded with the entry and hands the same
     * object to every later reader until the entry changes, so a hit costs one lookup and no
     * decoding. For a near cache's L1 (copies of remote bytes): readers share the decoded object
     * and must not mutate it, as with a store that keeps references. Off unless set.
     */
    public Builder shareDecodedValues() {
      this.shareDecodedValues = true;
      return this;
    }

    /** The clock expiry is measured with; tests pass one they can advance. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the store. */
    public MemoryCacheStore build() {
      return new MemoryCacheStore(this);
    }
  }
}
