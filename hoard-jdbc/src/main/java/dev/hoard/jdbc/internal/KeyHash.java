package dev.hoard.jdbc.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The primary key of a cache row: SHA-256 of the key's UTF-8 bytes. A fixed 32 bytes whatever the
 * key's length, compared byte for byte whatever the column collation, and easy to compute from
 * other languages or in SQL ({@code sha256(convert_to(cache_key, 'UTF8'))} on PostgreSQL).
 */
public final class KeyHash {

  private KeyHash() {}

  /**
   * Hashes a key.
   *
   * @throws IllegalArgumentException if the key is not well-formed UTF-16 (a lone surrogate has
   *     no UTF-8 form, and replacing it would let two keys share a row)
   */
  public static byte[] of(String key) {
    ByteBuffer utf8;
    try {
      utf8 = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(key));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "key '" + key + "' has a lone surrogate character and no UTF-8 form; fix the key", e);
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(utf8);
      return sha256.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
