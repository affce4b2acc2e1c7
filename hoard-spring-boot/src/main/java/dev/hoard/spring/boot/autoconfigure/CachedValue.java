package dev.hoard.spring.boot.autoconfigure;

/**
 * What a Spring cache keeps at a key: the value and the name of its class. Spring reads cached
 * values without saying their type, so a store that keeps bytes needs the class name to give back
 * the object rather than the map JSON reads without one. A {@code null} value is a cached {@code
 * null} (Spring's {@code allowNullValues}).
 */
record CachedValue(String type, Object value) {

  static final CachedValue NULL = new CachedValue(null, null);

  static CachedValue of(Object value) {
    return value == null ? NULL : new CachedValue(value.getClass().getName(), value);
  }
}
