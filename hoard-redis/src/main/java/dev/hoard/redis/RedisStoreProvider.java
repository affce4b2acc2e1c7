package dev.hoard.redis;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.tiered.TieredCacheStore;
import dev.hoard.redis.internal.RedisLink;
import dev.hoard.redis.internal.RedisTarget;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@link RedisCacheStore}s from URLs, found by {@link java.util.ServiceLoader}:
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host[:6379][/db]} and {@code rediss://…} for TLS;
 *   <li>{@code redis-sentinel://[user:password@]h1:26379,h2:26379/mymaster?db=0}, the master's
 *       name as the path;
 *   <li>{@code redis-cluster://[user:password@]h1:7000,h2:7001}, any reachable nodes as seeds.
 * </ul>
 *
 * <p>Parameters: {@code prefix} (put before every key, default {@code hoard:c:}, or the
 * default of the {@link dev.hoard.cache.spi.ReservedKeySpace} the store is opened for; a prefix
 * overlapping another Hoard key space is refused), {@code timeout} (per command, default {@code
 * 2s}), {@code replicas} (how many replicas must acknowledge each write, with {@code WAIT} sent
 * alongside it; default 0, see {@link RedisCacheStore}), and for {@code rediss://} {@code cacert}
 * (a PEM file of
 * certificates to trust) and {@code verifyPeer} ({@code full}, {@code ca} or {@code none}).
 *
 * <p>{@link dev.hoard.cache.Caches#open} in the {@code open} and {@code fallback} failure modes
 * starts even when Redis is down: the store connects in the background (retrying at most 500 ms
 * apart), its calls fail at once until then, and a near cache subscribes once it is connected. A
 * {@code strict} cache and {@link dev.hoard.cache.Caches#openStore} need Redis up.
 *
 * <p>A near cache: {@code near=10000} puts an in-process L1 of that many entries in front of
 * Redis ({@link TieredCacheStore}), kept coherent across processes by a {@link
 * RedisInvalidationBus} on the prefix's channel; {@code nearTtl} (default {@code 30s}) is the
 * longest an L1 copy lives, the staleness bound when invalidation messages are lost. An L1 hit
 * hands out the object decoded on the first hit ({@link
 * MemoryCacheStore.Builder#shareDecodedValues()}), so readers in one process share it and must
 * not mutate it, as with the {@code memory://} store; {@code nearShareDecoded=false} decodes a
 * fresh copy on every hit instead. Only near
 * caches publish invalidations: a write made without one (by another program, or through a URL
 * without {@code near}) reaches other processes' L1 only when their copy's {@code nearTtl} ends.
 */
public final class RedisStoreProvider implements CacheStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public RedisStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return new LinkedHashSet<>(RedisTarget.SCHEMES);
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    return open(url, clock, false);
  }

  /** Starts even when Redis cannot be reached yet, connecting in the background. */
  @Override
  public CacheStore openConnectingInBackground(StoreUrl url, Clock clock) {
    return open(url, clock, true);
  }

  private CacheStore open(StoreUrl url, Clock clock, boolean inBackground) {
    String prefix = url.keySpace().prefixIn(url);
    Optional<Long> near = url.takeLong("near");
    Optional<Duration> nearTtl = url.takeDuration("nearTtl");
    Optional<Boolean> shareDecoded = url.takeBoolean("nearShareDecoded");
    if ((nearTtl.isPresent() || shareDecoded.isPresent()) && near.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter '" + (nearTtl.isPresent() ? "nearTtl" : "nearShareDecoded") + "' needs"
              + " 'near' (the number of entries the near cache holds, e.g. near=10000) in " + url);
    }
    RedisTarget target = RedisTarget.from(url);
    RedisLink link = inBackground ? RedisLink.openInBackground(target) : RedisLink.open(target);
    RedisCacheStore store = new RedisCacheStore(link, prefix, clock);
    if (near.isEmpty()) {
      return store;
    }
    try {
      MemoryCacheStore.Builder l1 =
          MemoryCacheStore.builder().clock(clock).copyValues().maximumSize(near.get());
      if (shareDecoded.orElse(true)) {
        l1.shareDecodedValues();
      }
      return TieredCacheStore.builder()
          .l1(l1.build())
          .l2(store)
          .bus(store.invalidationBus())
          .l1MaxTtl(nearTtl.orElse(TieredCacheStore.DEFAULT_L1_MAX_TTL))
          .build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }
}
