package dev.hoard.memcached.internal;

import dev.hoard.cache.spi.CacheStore;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How an entry is laid out in a memcached value: two marker bytes, the absolute expiry in epoch
 * milliseconds (8 bytes, big-endian; {@link CacheStore#NEVER} for none), then the payload.
 *
 * <p>Memcached keeps expiry in whole seconds of its own coarse clock and cannot report it; the
 * header makes {@code expiresAt} exact and lets a read hide an entry the moment it expires, while
 * the server drops it a little later. A value without the marker (written by another client) is
 * read as a payload that never expires.
 */
public final class MemcachedValue {

  /** Bytes in front of the payload. */
  public static final int HEADER_BYTES = 10;

  private static final byte MARK_0 = (byte) 0xC4;
  private static final byte MARK_1 = (byte) 0x01;

  private MemcachedValue() {}

  /** A decoded entry. */
  public record Entry(byte[] payload, long expiresAt) {
    /** Whether it is still live at {@code now}. */
    public boolean liveAt(long now) {
      return expiresAt > now;
    }
  }

  /** Frames a payload with its expiry. */
  public static byte[] encode(long expiresAt, byte[] payload) {
    return ByteBuffer.allocate(HEADER_BYTES + payload.length)
        .put(MARK_0).put(MARK_1).putLong(expiresAt).put(payload).array();
  }

  /** Reads a stored value. */
  public static Entry decode(byte[] stored) {
    if (stored.length >= HEADER_BYTES && stored[0] == MARK_0 && stored[1] == MARK_1) {
      long expiresAt = ByteBuffer.wrap(stored, 2, 8).getLong();
      return new Entry(Arrays.copyOfRange(stored, HEADER_BYTES, stored.length), expiresAt);
    }
    return new Entry(stored, CacheStore.NEVER);
  }
}
