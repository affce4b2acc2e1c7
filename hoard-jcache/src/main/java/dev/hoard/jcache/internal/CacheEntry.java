package dev.hoard.jcache.internal;

import javax.cache.Cache;

/** A key and its value as {@code Cache.iterator()} and {@code CacheWriter}s see them. */
final class CacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  CacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + type.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
