package dev.hoard.session.cookie;

import dev.hoard.session.KeyRing;
import dev.hoard.session.SessionTooLargeException;
import dev.hoard.session.internal.RecordFormat;
import dev.hoard.session.spi.ClientSessionStore;
import dev.hoard.session.spi.SessionRecord;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Keeps the whole session in the cookie: the session as JSON, encrypted and authenticated with
 * AES-256-GCM, so the client can neither read nor change it. Nothing is kept on the server.
 *
 * <p>Keys form a {@link KeyRing}: the newest key seals, every key opens, so keys rotate without
 * logging anyone out (add the new key first, retire the old one once its cookies have expired). A
 * token is the base64url of the sealed session; the session's expiry is inside the encrypted
 * payload, so an old cookie replayed after it expired opens nothing.
 *
 * <p><b>Cookie sessions cannot be revoked on the server before they expire.</b> A copied cookie
 * keeps working until its expiry, even after the user logs out, regenerates or is "logged out
 * everywhere"; choose a server store when that matters, and keep the idle timeout short. Tokens
 * are limited to {@value #MAXIMUM_TOKEN_LENGTH} bytes (browsers drop larger cookies): {@link #seal}
 * throws {@link SessionTooLargeException} beyond it.
 */
public final class CookieSessionStore implements ClientSessionStore {

  /** The largest token {@link #seal} produces, in bytes. */
  public static final int MAXIMUM_TOKEN_LENGTH = 4096;

  /** The length of every key, in bytes (AES-256). */
  public static final int KEY_LENGTH = KeyRing.KEY_LENGTH;

  private static final byte[] NO_CONTEXT = new byte[0];
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final KeyRing keys;

  private CookieSessionStore(KeyRing keys) {
    this.keys = keys;
  }

  /** A builder; add at least one key. */
  public static Builder builder() {
    return new Builder();
  }

  /** A fresh random key, base64: what {@code cookie://?keys=} and {@link Builder#key} take. */
  public static String generateKey() {
    return KeyRing.generateKey();
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
      if (!ENCODER.encodeToString(sealed).equals(token)) {
        return null;
      }
      byte[] payload = keys.open(sealed, NO_CONTEXT);
      if (payload == null) {
        return null;
      }
      SessionRecord record = RecordFormat.read(payload);
      return record.isExpiredAt(now) ? null : record;
    } catch (RuntimeException e) {
      // Bad base64, a payload that is not a record: all of it is a token we will not accept.
      return null;
    }
  }

  @Override
  public String seal(SessionRecord record) {
    Objects.requireNonNull(record, "record");
    byte[] payload = RecordFormat.write(record);
    String token = ENCODER.encodeToString(keys.seal(payload, NO_CONTEXT));
    if (token.length() > MAXIMUM_TOKEN_LENGTH) {
      throw new SessionTooLargeException(
          "the session cookie would be " + token.length() + " bytes, over the "
              + MAXIMUM_TOKEN_LENGTH + "-byte limit (" + payload.length + " bytes of session"
              + " data); keep large data in a server store and only references in the session",
          token.length(), MAXIMUM_TOKEN_LENGTH);
    }
    return token;
  }

  @Override
  public String description() {
    return "cookie (" + keys + ")";
  }

  /** Nothing to release: the store holds no connections. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return description();
  }

  /** Configures a {@link CookieSessionStore}. */
  public static final class Builder {

    private final KeyRing.Builder keys = KeyRing.builder();
    private KeyRing ring;

    private Builder() {}

    /**
     * Adds a 32-byte key. The first key added seals new tokens; keys added after it only open
     * tokens they sealed earlier, until they are retired.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or is already in the ring
     */
    public Builder key(byte[] key) {
      keys.key(key);
      return this;
    }

    /**
     * Adds a key given in base64 (standard or URL-safe alphabet, padding optional).
     *
     * @throws IllegalArgumentException if it is not base64 of 32 bytes; the message never shows it
     */
    public Builder key(String base64) {
      keys.key(base64);
      return this;
    }

    /** Uses {@code ring}, built elsewhere, instead of keys added one by one. */
    public Builder keyRing(KeyRing ring) {
      this.ring = Objects.requireNonNull(ring, "ring");
      return this;
    }

    /**
     * Builds the store.
     *
     * @throws IllegalStateException if no key was added
     */
    public CookieSessionStore build() {
      return new CookieSessionStore(ring != null ? ring : keys.build());
    }
  }
}
