package dev.hoard.jcache.internal;

import dev.hoard.codec.Codec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;

/**
 * How a JCache entry is kept in a store: its value together with its JCache expiry. The expiry is
 * kept in the entry rather than left to the store, so that an expired entry is still seen once and
 * reported to {@code CacheEntryExpiredListener}s; the store's own expiry is only a backstop.
 */
abstract sealed class EntryEncoding {

  /** Values that cannot change, so even a store-by-value cache may share them. */
  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Byte.class,
      Character.class, Short.class, Integer.class, Long.class, Float.class, Double.class,
      BigInteger.class, BigDecimal.class, UUID.class, java.time.Instant.class,
      java.time.LocalDate.class, java.time.LocalDateTime.class, java.time.Duration.class);

  /** The encoding for {@code store}: objects by reference where it keeps them, bytes elsewhere. */
  static EntryEncoding forStore(boolean storesReferences, boolean byValue, Codec codec,
      ClassLoader classLoader) {
    return storesReferences
        ? new Held(byValue, codec, classLoader)
        : new Bytes(codec, classLoader);
  }

  final Codec codec;
  final ClassLoader classLoader;

  EntryEncoding(Codec codec, ClassLoader classLoader) {
    this.codec = codec;
    this.classLoader = classLoader;
  }

  /** The stored form of {@code value} expiring at {@code expiresAt}. */
  abstract Object encode(Object value, long expiresAt);

  /** The JCache expiry of a stored entry, epoch millis or {@code CacheStore.NEVER}. */
  abstract long expiresAt(Object stored);

  /** The value of a stored entry: a copy the caller may change, unless stored by reference. */
  abstract Object value(Object stored);

  /** The stored entry with the same value and another expiry. */
  abstract Object withExpiry(Object stored, long expiresAt);

  Object decode(byte[] bytes) {
    return ClassLoaders.withContextLoader(classLoader, () -> codec.decode(bytes, Object.class));
  }

  static boolean immutable(Object value) {
    return IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?>;
  }

  /** Objects kept by a memory store: the value itself, or its serialized copy when by value. */
  static final class Held extends EntryEncoding {
    private final boolean byValue;

    Held(boolean byValue, Codec codec, ClassLoader classLoader) {
      super(codec, classLoader);
      this.byValue = byValue;
    }

    /** A value and its expiry; {@code serialized} when {@code value} holds its serialized copy. */
    private record Entry(Object value, boolean serialized, long expiresAt) {}

    @Override
    Object encode(Object value, long expiresAt) {
      if (!byValue || immutable(value)) {
        return new Entry(value, false, expiresAt);
      }
      return new Entry(codec.encode(value), true, expiresAt);
    }

    @Override
    long expiresAt(Object stored) {
      return ((Entry) stored).expiresAt;
    }

    @Override
    Object value(Object stored) {
      Entry entry = (Entry) stored;
      return entry.serialized ? decode((byte[]) entry.value) : entry.value;
    }

    @Override
    Object withExpiry(Object stored, long expiresAt) {
      Entry entry = (Entry) stored;
      return new Entry(entry.value, entry.serialized, expiresAt);
    }
  }

  /** Bytes for remote and file stores: eight bytes of expiry, then the encoded value. */
  static final class Bytes extends EntryEncoding {

    Bytes(Codec codec, ClassLoader classLoader) {
      super(codec, classLoader);
    }

    @Override
    Object encode(Object value, long expiresAt) {
      byte[] encoded = codec.encode(value);
      return ByteBuffer.allocate(Long.BYTES + encoded.length).putLong(expiresAt).put(encoded)
          .array();
    }

    @Override
    long expiresAt(Object stored) {
      return ByteBuffer.wrap((byte[]) stored).getLong(0);
    }

    @Override
    Object value(Object stored) {
      byte[] bytes = (byte[]) stored;
      return decode(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
    }

    @Override
    Object withExpiry(Object stored, long expiresAt) {
      byte[] copy = ((byte[]) stored).clone();
      ByteBuffer.wrap(copy).putLong(0, expiresAt);
      return copy;
    }
  }
}
