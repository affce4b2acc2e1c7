package dev.hoard.session.cookie;

import dev.hoard.session.SessionTooLargeException;
import dev.hoard.session.internal.RecordFormat;
import dev.hoard.session.spi.ClientSessionStore;
import dev.hoard.session.spi.SessionRecord;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
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
 * Keeps the whole session in the cookie: the session as JSON, encrypted and authenticated with
 * AES-256-GCM, so the client can neither read nor change it. Nothing is kept on the server.
 *
 * <p>Keys form a ring: the newest key seals, every key opens, so keys rotate without logging
 * anyone out (add the new key first, retire the old one once its cookies have expired). Each token
 * names its key with a one-byte id, so opening does not try every key. A token is {@code
 * base64url(version, key id, 96-bit random nonce, ciphertext and tag)}; the session's expiry is
 * inside the encrypted payload, so an old cookie replayed after it expired opens nothing.
 *
 * <p><b>Cookie sessions cannot be revoked on the server before they expire.</b> A copied cookie
 * keeps working until its expiry, even after the user logs out, regenerates or is "logged out
 * everywhere"; choose a server store when that matters, and keep the idle timeout short. Tokens
 * are limited to {@value #MAXIMUM_TOKEN_LENGTH} bytes (browsers drop larger cookies): {@link #seal}
 * throws {@link SessionTooLargeException} beyond it. With random nonces one key should seal no
 * more than about four billion tokens; rotate keys long before that.
 */
public final class CookieSessionStore implements ClientSessionStore {

  /** The largest token {@link #seal} produces, in bytes. */
  public static final int MAXIMUM_TOKEN_LENGTH = 4096;

  /** The length of every key, in bytes (AES-256). */
  public static final int KEY_LENGTH = 32;

  private static final byte VERSION = 1;
  private static final int HEADER_LENGTH = 2;
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final int MINIMUM_SEALED_LENGTH = HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final List<RingKey> keys;

  private CookieSessionStore(List<RingKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** A builder; add at least one key. */
  public static Builder builder() {
    return new Builder();
  }

  /** A fresh random key, base64: what {@code cookie://?keys=} and {@link Builder#key} take. */
  public static String generateKey() {
    byte[] key = new byte[KEY_LENGTH];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Override
  public SessionRecord open(String token, Instant now) {
    if (token == null || token.isEmpty() || token.length() > MAXIMUM_TOKEN_LENGTH) {
      return null;
    }
    try {
      byte[] sealed = DECODER.decode(token);
      // The decoder ignores the unused low bits of the last character; insisting on the one
      // canonical spelling keeps a token from having several accepted forms.
      if (sealed.length < MINIMUM_SEALED_LENGTH || sealed[0] != VERSION
          || !ENCODER.encodeToString(sealed).equals(token)) {
        return null;
      }
      for (RingKey key : keys) {
        if (key.id == sealed[1]) {
          byte[] payload = decrypt(key, sealed);
          if (payload != null) {
            SessionRecord record = RecordFormat.read(payload);
            return record.isExpiredAt(now) ? null : record;
          }
        }
      }
      return null;
    } catch (RuntimeException e) {
      // Bad base64, a payload that is not a record: all of it is a token we will not accept.
      return null;
    }
  }

  @Override
  public String seal(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    byte[] payload = RecordFormat.write(record);
    RingKey key = keys.get(0);
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    ByteBuffer sealed;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key.spec, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] header = {VERSION, key.id};
      cipher.updateAAD(header);
      byte[] ciphertext = cipher.doFinal(payload);
      sealed = ByteBuffer.allocate(HEADER_LENGTH + NONCE_LENGTH + ciphertext.length)
          .put(header).put(nonce).put(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
    String token = ENCODER.encodeToString(sealed.array());
    if (token.length() > MAXIMUM_TOKEN_LENGTH) {
      throw new SessionTooLargeException(
          "the session cookie would be " + token.length() + " bytes, over the "
              + MAXIMUM_TOKEN_LENGTH + "-byte limit (" + payload.length + " bytes of session"
              + " data); keep large data in a server store and only references in the session",
          token.length(), MAXIMUM_TOKEN_LENGTH);
    }
    return token;
  }

  /** The payload, or {@code null} when this key did not seal it or it was changed. */
  private static byte[] decrypt(RingKey key, byte[] sealed) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key.spec,
          new GCMParameterSpec(TAG_BITS, sealed, HEADER_LENGTH, NONCE_LENGTH));
      cipher.updateAAD(sealed, 0, HEADER_LENGTH);
      int offset = HEADER_LENGTH + NONCE_LENGTH;
      return cipher.doFinal(sealed, offset, sealed.length - offset);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  @Override
  public String description() {
    return "cookie (AES-256-GCM, " + keys.size() + (keys.size() == 1 ? " key)" : " keys)");
  }

  /** Nothing to release: the store holds no connections. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return description();
  }

  /** One key of the ring with the id byte tokens name it by. */
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

  /** Configures a {@link CookieSessionStore}. */
  public static final class Builder {

    private final List<RingKey> keys = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a 32-byte key. The first key added seals new tokens; keys added after it only open
     * tokens they sealed earlier, until they are retired.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or is already in the ring
     */
    public Builder key(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length != KEY_LENGTH) {
        throw new IllegalArgumentException(
            "a cookie key must be " + KEY_LENGTH + " bytes (AES-256), got " + key.length
                + "; generate one with CookieSessionStore.generateKey()");
      }
      for (RingKey existing : keys) {
        if (Arrays.equals(existing.material, key)) {
          throw new IllegalArgumentException("the same cookie key was added twice");
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
            "a cookie key must be base64 of " + KEY_LENGTH + " bytes; generate one with"
                + " CookieSessionStore.generateKey()");
      }
      return key(key);
    }

    /**
     * Builds the store.
     *
     * @throws IllegalStateException if no key was added
     */
    public CookieSessionStore build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException(
            "a cookie session store needs at least one key; generate one with"
                + " CookieSessionStore.generateKey()");
      }
      return new CookieSessionStore(keys);
    }
  }
}
