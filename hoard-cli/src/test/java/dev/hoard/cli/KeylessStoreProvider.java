package dev.hoard.cli;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreUrl;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens {@code keyless://}: a real memory store that, like Memcached, cannot list its keys, so the
 * CLI's "store cannot list keys" paths run without a Memcached server in this module's tests.
 */
public final class KeylessStoreProvider implements CacheStoreProvider {

  @Override
  public Set<String> schemes() {
    return Set.of("keyless");
  }

  @Override
  public CacheStore open(StoreUrl url, Clock clock) {
    return new Keyless(MemoryCacheStore.builder().clock(clock).copyValues().build());
  }

  /** Every operation goes to the memory store except listing keys. */
  private record Keyless(CacheStore inner) implements CacheStore {
    @Override
    public Clock clock() {
      return inner.clock();
    }

    @Override
    public Set<StoreCapability> capabilities() {
      Set<StoreCapability> capabilities = EnumSet.noneOf(StoreCapability.class);
      capabilities.addAll(inner.capabilities());
      capabilities.remove(StoreCapability.KEY_SCAN);
      return capabilities;
    }

    @Override
    public String description() {
      return "keyless " + inner.description();
    }

    @Override
    public Object get(String key) {
      return inner.get(key);
    }

    @Override
    public void put(String key, Object value, long expiresAt) {
      inner.put(key, value, expiresAt);
    }

    @Override
    public boolean putIfAbsent(String key, Object value, long expiresAt) {
      return inner.putIfAbsent(key, value, expiresAt);
    }

    @Override
    public boolean delete(String key) {
      return inner.delete(key);
    }

    @Override
    public long increment(String key, long delta, long expiresAtIfCreated) {
      return inner.increment(key, delta, expiresAtIfCreated);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
      return inner.touch(key, expiresAt);
    }

    @Override
    public long expiresAt(String key) {
      return inner.expiresAt(key);
    }

    @Override
    public Stream<String> keys(Glob glob) {
      throw new UnsupportedOperationException("keyless stores cannot list keys");
    }

    @Override
    public void clear() {
      inner.clear();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
