package dev.hoard.cache.internal;

import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.ValueDecoder;
import dev.hoard.codec.Codec;
import dev.hoard.codec.DecodingException;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;

/**
 * How values look inside a store: kept by reference in a reference store, encoded by a codec in a
 * byte store. Also frames the tag tokens of tagged entries in the matching form.
 */
abstract sealed class ValueEncoding implements ValueDecoder {

  /** By reference when {@code codec} is null (a store that keeps objects), else by the codec. */
  static ValueEncoding of(Codec codec) {
    return codec == null ? new ByReference() : new ByCodec(codec);
  }

  abstract Object encode(Object value);

  /** The value read as {@code type}; throws {@link DecodingException} when it is not one. */
  @Override
  public abstract Object decode(Object stored, Type type);

  /**
   * A tag token in stored form: in byte stores the counter format ({@link CounterFormat}),
   * whatever the codec.
   */
  abstract Object encodeToken(long token);

  /** Reads a tag token; throws {@link DecodingException} when the entry is not one. */
  abstract long decodeToken(Object stored);

  abstract Object wrapTagged(long[] tokens, Object stored);

  /** The tokens and payload of a tagged entry; throws {@link DecodingException} when it is not one. */
  abstract Tagged unwrapTagged(Object stored);

  abstract String describe();

  record Tagged(long[] tokens, Object payload) {}

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c.isPrimitive() ? MethodType.methodType(c).wrap().returnType() : c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  /** Values kept as the objects the caller put. */
  static final class ByReference extends ValueEncoding {
    @Override
    Object encode(Object value) {
      return value;
    }

    @Override
    public Object decode(Object stored, Type type) {
      Class<?> raw = rawClass(type);
      if (raw.isInstance(stored)) {
        return stored;
      }
      throw new DecodingException(
          "stored value is a " + stored.getClass().getName() + ", not a " + type.getTypeName(),
          null);
    }

    @Override
    Object encodeToken(long token) {
      return token;
    }

    @Override
    long decodeToken(Object stored) {
      if (stored instanceof Long token) {
        return token;
      }
      throw new DecodingException("not a tag token: " + stored.getClass().getName(), null);
    }

    @Override
    Object wrapTagged(long[] tokens, Object stored) {
      return new Tagged(tokens, stored);
    }

    @Override
    Tagged unwrapTagged(Object stored) {
      if (stored instanceof Tagged tagged) {
        return tagged;
      }
      throw new DecodingException("not a tagged entry: " + stored.getClass().getName(), null);
    }

    @Override
    String describe() {
      return "by reference";
    }
  }

  /** Values turned into bytes by a codec. Tagged entries: 'T', a count, the tokens, the payload. */
  static final class ByCodec extends ValueEncoding {
    private static final byte TAGGED = 'T';
    private final Codec codec;

    ByCodec(Codec codec) {
      this.codec = codec;
    }

    @Override
    Object encode(Object value) {
      return codec.encode(value);
    }

    @Override
    public Object decode(Object stored, Type type) {
      if (!(stored instanceof byte[] bytes)) {
        throw new DecodingException(
            "a byte store returned a " + stored.getClass().getName() + " instead of bytes", null);
      }
      return codec.decode(bytes, type);
    }

    @Override
    Object encodeToken(long token) {
      return CounterFormat.encode(token);
    }

    @Override
    long decodeToken(Object stored) {
      if (!(stored instanceof byte[] bytes)) {
        throw new DecodingException("not a tag token", null);
      }
      try {
        return CounterFormat.decode("tag token", bytes);
      } catch (IllegalStateException e) {
        throw new DecodingException("not a tag token", e);
      }
    }

    @Override
    Object wrapTagged(long[] tokens, Object stored) {
      byte[] payload = (byte[]) stored;
      ByteBuffer framed = ByteBuffer.allocate(2 + tokens.length * Long.BYTES + payload.length);
      framed.put(TAGGED).put((byte) tokens.length);
      for (long token : tokens) {
        framed.putLong(token);
      }
      return framed.put(payload).array();
    }

    @Override
    Tagged unwrapTagged(Object stored) {
      if (stored instanceof byte[] bytes && bytes.length >= 2 && bytes[0] == TAGGED) {
        int count = bytes[1] & 0xFF;
        int header = 2 + count * Long.BYTES;
        if (bytes.length >= header) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          long[] tokens = new long[count];
          for (int i = 0; i < count; i++) {
            tokens[i] = buffer.getLong(2 + i * Long.BYTES);
          }
          byte[] payload = new byte[bytes.length - header];
          System.arraycopy(bytes, header, payload, 0, payload.length);
          return new Tagged(tokens, payload);
        }
      }
      throw new DecodingException("not a tagged entry", null);
    }

    @Override
    String describe() {
      return codec.name();
    }
  }
}
