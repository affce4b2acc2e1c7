package dev.hoard.session.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random tokens and digests for session ids, store keys, CSRF tokens and leases: 256 bits from
 * {@link SecureRandom}, base64url without padding.
 */
public final class SecureTokens {

  /** Characters in a base64url encoding of 32 bytes without padding. */
  public static final int TOKEN_LENGTH = 43;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private SecureTokens() {}

  /** 32 fresh random bytes, base64url: a session id, CSRF token or lease token. */
  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /**
   * base64url(SHA-256(text)): the key a server store files a session under, so that a leaked
   * keyspace cannot be replayed as cookies; also used for User-Agents and user index keys.
   */
  public static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Whether {@code token} has the shape of a token from {@link #random()}. */
  public static boolean isWellFormed(String token) {
    if (token == null || token.length() != TOKEN_LENGTH) {
      return false;
    }
    for (int i = 0; i < TOKEN_LENGTH; i++) {
      char c = token.charAt(i);
      boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }

  /** A prefix of a store key, enough to follow one session through the logs, never its id. */
  public static String logPrefix(String key) {
    return key.substring(0, Math.min(8, key.length()));
  }

  /** Whether two strings are equal, in time that does not depend on where they differ. */
  public static boolean constantTimeEquals(String expected, String candidate) {
    if (expected == null || candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }
}
