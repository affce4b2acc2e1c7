package dev.hoard.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM keys that seal data so that nobody without a key can read or change it: cookie
 * sessions ({@link dev.hoard.session.cookie.CookieSessionStore}) and attributes encrypted at rest
 * in server stores ({@link SessionManager.Builder#encryptAttributes}). Immutable and thread-safe.
 *
 * <p>The first key seals, every key opens, so keys rotate without losing data: put the new key
 * first and keep the old one until what it sealed has expired. Sealed bytes are {@code (version,
 * key id, 96-bit random nonce, ciphertext and tag)}; the one-byte key id lets opening skip keys
 * that did not seal them. With random nonces one key should seal no more than about four billion
 * values; rotate long before that.
 */
public final class KeyRing {

  /** The length of every key, in bytes (AES-256). */
  public static final int KEY_LENGTH = 32;

  private static final byte VERSION = 1;
  private static final int HEADER_LENGTH = 2;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int MINIMUM_SEALED_LENGTH = HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<RingKey> keys;

  private KeyRing(List<RingKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** A builder; add at least one key. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A ring of base64 keys, the first sealing, as written in a URL parameter: {@code
   * <new key>,<older key>,…}.
   *
   * @throws IllegalArgumentException naming the position of a key that is not base64 of 32
   *     bytes (never the key itself), or when there is none
   */
  public static KeyRing parse(String commaSeparatedKeys) {
    Objects.requireNonNull(commaSeparatedKeys, "keys");
    Builder builder = builder();
    String[] parts = commaSeparatedKeys.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      try {
        builder.key(parts[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "key " + (i + 1) + " of " + parts.length + " is bad: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  /** A fresh random key in base64, as {@link Builder#key(String)} and URL parameters take it. */
  public static String generateKey() {
    byte[] key = new byte[KEY_LENGTH];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /**
   * Encrypts and authenticates {@code plaintext} with the first key. {@code context} is
   * authenticated but not stored: opening needs the same context, so sealed bytes moved to another
   * place (another session, another attribute) do not open there.
   */
  public byte[] seal(byte[] plaintext, byte[] context) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    RingKey key = keys.get(0);
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key.spec, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] header = {VERSION, key.id};
      cipher.updateAAD(header);
      cipher.updateAAD(context);
      byte[] ciphertext = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(HEADER_LENGTH + NONCE_LENGTH + ciphertext.length)
          .put(header).put(nonce).put(ciphertext).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /**
   * The plaintext of bytes {@link #seal sealed} with {@code context} by a key of this ring, or
   * {@code null} when they are truncated, changed, sealed for another context or with a key no
   * longer in the ring. Never throws on bad input.
   */
  public byte[] open(byte[] sealed, byte[] context) {
    Objects.requireNonNull(context, "context");
    if (sealed == null || sealed.length < MINIMUM_SEALED_LENGTH || sealed[0] != VERSION) {
      return null;
    }
    for (RingKey key : keys) {
      if (key.id == sealed[1]) {
        byte[] plaintext = decrypt(key, sealed, context);
        if (plaintext != null) {
          return plaintext;
        }
      }
    }
    return null;
  }

  private static byte[] decrypt(RingKey key, byte[] sealed, byte[] context) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key.spec,
          new GCMParameterSpec(TAG_BITS, sealed, HEADER_LENGTH, NONCE_LENGTH));
      cipher.updateAAD(sealed, 0, HEADER_LENGTH);
      cipher.updateAAD(context);
      int offset = HEADER_LENGTH + NONCE_LENGTH;
      return cipher.doFinal(sealed, offset, sealed.length - offset);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /** How many keys the ring holds. */
  public int size() {
    return keys.size();
  }

  /** Says how many keys there are, never the keys. */
  @Override
  public String toString() {
    return "AES-256-GCM, " + keys.size() + (keys.size() == 1 ? " key" : " keys");
  }

  /** One key with the id byte sealed bytes name it by. */
  private static final class RingKey {
    final SecretKeySpec spec;
    final byte id;
    final byte[] material;

    RingKey(byte[] material) {
      this.material = material.clone();
      this.spec = new SecretKeySpec(this.material, "AES");
      try {
        this.id = MessageDigest.getInstance("SHA-256").digest(this.material)[0];
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 is missing from this JDK", e);
      }
    }
  }

  /** Configures a {@link KeyRing}. */
  public static final class Builder {

    private final List<RingKey> keys = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a 32-byte key. The first key added seals; keys added after it only open what they
     * sealed earlier, until they are retired.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or is already in the ring
     */
    public Builder key(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length != KEY_LENGTH) {
        throw new IllegalArgumentException(
            "a key must be " + KEY_LENGTH + " bytes (AES-256), got " + key.length
                + "; generate one with KeyRing.generateKey()");
      }
      for (RingKey existing : keys) {
        if (Arrays.equals(existing.material, key)) {
          throw new IllegalArgumentException("the same key was added twice");
        }
      }
      keys.add(new RingKey(key));
      return this;
    }

    /**
     * Adds a key given in base64 (standard or URL-safe alphabet, padding optional).
     *
     * @throws IllegalArgumentException if it is not base64 of 32 bytes; the message never shows it
     */
    public Builder key(String base64) {
      Objects.requireNonNull(base64, "key");
      byte[] key;
      try {
        key = Base64.getDecoder().decode(base64.trim().replace('-', '+').replace('_', '/'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "a key must be base64 of " + KEY_LENGTH + " bytes; generate one with"
                + " KeyRing.generateKey()");
      }
      return key(key);
    }

    /**
     * Builds the ring.
     *
     * @throws IllegalStateException if no key was added
     */
    public KeyRing build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException(
            "a key ring needs at least one key; generate one with KeyRing.generateKey()");
      }
      return new KeyRing(keys);
    }
  }
}
