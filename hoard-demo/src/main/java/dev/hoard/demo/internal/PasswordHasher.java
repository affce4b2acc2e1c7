package dev.hoard.demo.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes from the JDK, written {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * so the work factor can grow without invalidating stored hashes.
 */
final class PasswordHasher {

  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  static final int DEFAULT_ITERATIONS = 600_000;

  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  /** Checked against when the user does not exist, so that case takes as long as a wrong password. */
  private final String decoy;

  PasswordHasher(int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive, was " + iterations);
    }
    this.iterations = iterations;
    this.decoy = hash("decoy password, never matched");
  }

  String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    return PREFIX + "$" + iterations + "$" + ENCODER.encodeToString(salt) + "$"
        + ENCODER.encodeToString(hash);
  }

  /** Whether {@code password} matches {@code stored}; compares in constant time. */
  boolean matches(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw new IllegalStateException("stored password hash is not in the " + PREFIX + " format");
    }
    byte[] salt = DECODER.decode(parts[2]);
    byte[] expected = DECODER.decode(parts[3]);
    byte[] actual = derive(password, salt, Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  /** Spends the time of a check and returns false: for a login with an unknown user name. */
  boolean matchesNothing(String password) {
    matches(password, decoy);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    char[] chars = password.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot compute " + ALGORITHM, e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
