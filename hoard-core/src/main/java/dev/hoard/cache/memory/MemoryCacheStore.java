package dev.hoard.cache.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * An in-process store on Caffeine, bounded by entry count or by bytes, with per-entry expiry. It
 * keeps values by reference (no codec, no copies) unless built with {@link Builder#copyValues()}.
 */
public final class MemoryCacheStore implements CacheStore {

  /** Entry bound when none is given. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  private static final int ENTRY_OVERHEAD_BYTES = 64;

  private record Entry(Object value, long expiresAt) {}

  private final Clock clock;
  private final boolean copyValues;
  private final String description;
  private final com.github.benmanes.caffeine.cache.Cache<String, Entry> cache;
  private final Map<String, Entry> map;
  private final LongAdder evictions = new LongAdder();
  private final LongAdder expirations = new LongAdder();

  private MemoryCacheStore(Builder builder) {
    this.clock = builder.clock;
    this.copyValues = builder.copyValues;
    Caffeine<String, Entry> caffeine = Caffeine.newBuilder()
        .ticker(ticker(clock))
        .<String, Entry>evictionListener((key, entry, cause) -> {
          if (cause == RemovalCause.EXPIRED) {
            expirations.increment();
          } else if (cause == RemovalCause.SIZE) {
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
    this.cache = caffeine.expireAfter(new EntryExpiry(clock)).build();
    this.map = cache.asMap();
  }

  /** Starts configuring a memory store. */
  public static Builder builder() {
    return new Builder();
  }

  private static Ticker ticker(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return Ticker.systemTicker();
    }
    return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
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
    return copyValues
        ? EnumSet.of(StoreCapability.KEY_SCAN)
        : EnumSet.of(StoreCapability.KEY_SCAN, StoreCapability.STORES_REFERENCES);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Object get(String key) {
    Entry entry = cache.getIfPresent(key);
    return entry == null ? null : entry.value;
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    cache.put(key, new Entry(checked(value), expiresAt));
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    return map.putIfAbsent(key, new Entry(checked(value), expiresAt)) == null;
  }

  private Object checked(Object value) {
    if (copyValues && !(value instanceof byte[])) {
      throw new IllegalArgumentException(
          "this memory store copies values and keeps only byte[], got a "
              + value.getClass().getName());
    }
    return value;
  }

  @Override
  public boolean delete(String key) {
    return map.remove(key) != null;
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    Entry updated = map.compute(key, (k, old) -> {
      if (old == null) {
        return new Entry(counter(delta), expiresAtIfCreated);
      }
      return new Entry(counter(Math.addExact(counterValue(k, old.value), delta)), old.expiresAt);
    });
    return counterValue(key, updated.value);
  }

  private Object counter(long value) {
    return copyValues ? Long.toString(value).getBytes(StandardCharsets.US_ASCII) : (Object) value;
  }

  private static long counterValue(String key, Object value) {
    try {
      if (value instanceof Long number) {
        return number;
      }
      if (value instanceof byte[] bytes) {
        return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalStateException(
        "key '" + key + "' holds a " + value.getClass().getSimpleName()
            + ", not a counter; delete it before incrementing");
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    return map.computeIfPresent(key, (k, old) -> new Entry(old.value, expiresAt)) != null;
  }

  @Override
  public long expiresAt(String key) {
    Entry entry = cache.getIfPresent(key);
    return entry == null ? ABSENT : entry.expiresAt;
  }

  @Override
  public Stream<String> keys(Glob glob) {
    Objects.requireNonNull(glob, "glob");
    long now = clock.millis();
    return map.entrySet().stream()
        .filter(e -> e.getValue().expiresAt > now && glob.matches(e.getKey()))
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

  /** Runs pending evictions and expirations now; tests use it to observe them deterministically. */
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

  /** Converts absolute expiry into the durations Caffeine schedules with. */
  private static final class EntryExpiry implements Expiry<String, Entry> {
    private final Clock clock;

    EntryExpiry(Clock clock) {
      this.clock = clock;
    }

    private long nanosLeft(Entry entry) {
      if (entry.expiresAt == NEVER) {
        return Long.MAX_VALUE;
      }
      long millis = entry.expiresAt - clock.millis();
      return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Override
    public long expireAfterCreate(String key, Entry entry, long currentTime) {
      return nanosLeft(entry);
    }

    @Override
    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
      return nanosLeft(entry);
    }

    @Override
    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Configures a {@link MemoryCacheStore}. */
  public static final class Builder {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private long maximumWeight;
    private boolean copyValues;
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
