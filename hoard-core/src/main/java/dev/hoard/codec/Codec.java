package dev.hoard.codec;

import java.lang.reflect.Type;

/**
 * Turns values into bytes for stores that keep bytes, and back. Obtain one from {@link Codecs}.
 * Implementations are thread-safe.
 */
public interface Codec {

  /** A short name for configuration and logs, e.g. {@code json}. */
  String name();

  /**
   * Encodes a value.
   *
   * @throws IllegalArgumentException if this codec cannot represent the value, naming its type
   */
  byte[] encode(Object value);

  /**
   * Decodes bytes into an instance of {@code type}, loading classes with the type's own class
   * loader.
   *
   * @throws DecodingException if the bytes are corrupt, tampered with or not of that type
   */
  Object decode(byte[] bytes, Type type);
}
