package dev.hoard.cache;

import dev.hoard.cache.internal.DefaultCache;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/** Configures a {@link Cache} over a store; obtain one from {@link Cache#builder(CacheStore)}. */
public final class CacheBuilder {

  private final CacheStore store;
  private String name = "default";
  private Duration defaultTtl = Duration.ofHours(1);
  private Codec codec;
  private Executor executor = ForkJoinPool.commonPool();
  private double ttlJitter;

  CacheBuilder(CacheStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The name shown in statistics and logs; {@code default} unless set. */
  public CacheBuilder name(String name) {
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** The TTL of {@link Cache#put(String, Object)}; one hour unless set. */
  public CacheBuilder defaultTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("defaultTtl must be positive, was " + ttl);
    }
    this.defaultTtl = ttl;
    return this;
  }

  /**
   * How values become bytes; JSON unless set. Ignored by stores that keep values by reference
   * (the memory store, unless it was built to copy values).
   */
  public CacheBuilder codec(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    return this;
  }

  /**
   * Shortens each written TTL by a random share of up to {@code fraction}, so entries written
   * together (say, after a deploy) do not all expire in the same instant. Off unless set.
   *
   * @param fraction between 0 (no jitter) and 0.5
   */
  public CacheBuilder ttlJitter(double fraction) {
    if (!(fraction >= 0 && fraction <= 0.5)) {
      throw new IllegalArgumentException("ttlJitter must be between 0 and 0.5, was " + fraction);
    }
    this.ttlJitter = fraction;
    return this;
  }

  /** Where {@link Cache#async()} runs store calls; the common pool unless set. */
  public CacheBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /** Builds the cache; closing it closes the store. */
  public Cache build() {
    boolean references = store.capabilities().contains(StoreCapability.STORES_REFERENCES);
    Codec effective = codec != null ? codec : Codecs.json();
    return DefaultCache.create(
        name, store, references ? null : effective, defaultTtl, ttlJitter, executor);
  }
}
