package dev.hoard.jcache.internal;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** One entry event as listeners receive it. */
final class JCacheEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final transient Cache<K, V> cache;
  private final K key;
  private final V value;
  private final V oldValue;
  private final boolean oldValueAvailable;

  JCacheEvent(Cache<K, V> source, EventType type, K key, V value, V oldValue,
      boolean oldValueAvailable) {
    super(source, type);
    this.cache = source;
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  /**
   * This event as a listener that did not ask for old values sees it: without the old value, and
   * for removals and expiries (whose value is the old one) without a value either, as the TCK
   * checks.
   */
  JCacheEvent<K, V> withoutOldValue() {
    if (!oldValueAvailable) {
      return this;
    }
    boolean valueIsOld =
        getEventType() == EventType.REMOVED || getEventType() == EventType.EXPIRED;
    return new JCacheEvent<>(cache, getEventType(), key, valueIsOld ? null : value, null, false);
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
  public V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("a cache entry event cannot be unwrapped to " + type);
  }
}
