package dev.hoard.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The codecs Hoard ships. */
public final class Codecs {

  private static final Codec JSON = new JsonCodec(JsonCodec.defaultMapper());

  private Codecs() {}

  /**
   * JSON through Jackson, the default for byte stores: other languages can read what Java wrote.
   * Dates are ISO-8601 strings; unknown properties fail decoding so a changed class reads as a miss.
   */
  public static Codec json() {
    return JSON;
  }

  /** JSON through the caller's own configured {@link ObjectMapper}. */
  public static Codec json(ObjectMapper mapper) {
    return new JsonCodec(mapper);
  }

  /** UTF-8 text: values must be {@link CharSequence}s and decode as {@link String}. */
  public static Codec utf8() {
    return Utf8Codec.INSTANCE;
  }

  /** Raw bytes: values must be {@code byte[]} and are stored as they are. */
  public static Codec bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * Java serialization, signed with HMAC-SHA256 and read back only after the signature checks out
   * and only for classes the allow-list names. Unsigned or tampered bytes are never deserialized.
   *
   * @param key at least 32 bytes of secret, shared by every process that reads the cache
   * @param allowedClasses class name patterns as in {@link java.io.ObjectInputFilter.Config#createFilter},
   *     e.g. {@code com.example.model.*} or {@code java.util.*}
   * @throws IllegalArgumentException if the key is shorter than 32 bytes or the allow-list is empty
   */
  public static Codec signedJava(byte[] key, List<String> allowedClasses) {
    return new SignedJavaCodec(key, allowedClasses);
  }

  /**
   * The codec with this name: {@code json}, {@code utf8} or {@code bytes}.
   *
   * @throws IllegalArgumentException for any other name (signed Java serialization needs a key, so
   *     it is configured in code)
   */
  public static Codec named(String name) {
    return switch (name) {
      case "json" -> json();
      case "utf8" -> utf8();
      case "bytes" -> bytes();
      default -> throw new IllegalArgumentException(
          "unknown codec '" + name + "'; use json, utf8 or bytes (signedJava is set in code)");
    };
  }
}
