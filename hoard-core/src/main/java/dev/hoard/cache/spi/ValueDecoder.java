package dev.hoard.cache.spi;

import java.lang.reflect.Type;

/**
 * Turns a stored value into the object a caller asked for; handed to {@link
 * CacheStore#getDecoded} so that a store may keep the result with its entry.
 */
@FunctionalInterface
public interface ValueDecoder {

  /**
   * Decodes {@code stored} as {@code type}.
   *
   * @throws dev.hoard.codec.DecodingException if the stored value cannot be read as {@code type}
   */
  Object decode(Object stored, Type type);
}
