package dev.hoard.codec;

import java.lang.reflect.Type;

/** Raw bytes, stored as they are. */
final class BytesCodec implements Codec {

  static final BytesCodec INSTANCE = new BytesCodec();

  @Override
  public String name() {
    return "bytes";
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalArgumentException(
        "the bytes codec stores byte[], not a " + value.getClass().getName()
            + "; use the json codec");
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    if (type == byte[].class || type == Object.class) {
      return bytes;
    }
    throw new DecodingException("the bytes codec reads byte[], not " + type.getTypeName(), null);
  }
}
