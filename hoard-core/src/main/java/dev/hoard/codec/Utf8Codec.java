package dev.hoard.codec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** UTF-8 text. */
final class Utf8Codec implements Codec {

  static final Utf8Codec INSTANCE = new Utf8Codec();

  @Override
  public String name() {
    return "utf8";
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof Number number) {
      return number.toString().getBytes(StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException(
        "the utf8 codec stores text, not a " + value.getClass().getName() + "; use the json codec");
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (type == String.class || type == Object.class || type == CharSequence.class) {
      return text;
    }
    try {
      if (type == Long.class) {
        return Long.valueOf(text);
      }
      if (type == Integer.class) {
        return Integer.valueOf(text);
      }
    } catch (NumberFormatException e) {
      throw new DecodingException("'" + text + "' is not a number", e);
    }
    throw new DecodingException("the utf8 codec reads text, not " + type.getTypeName(), null);
  }
}
