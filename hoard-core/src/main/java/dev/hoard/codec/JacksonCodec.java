package dev.hoard.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;

/** A Jackson data format (JSON, Smile, CBOR, MessagePack) through one configured mapper. */
final class JacksonCodec implements Codec {

  private final String name;
  private final ObjectMapper mapper;

  JacksonCodec(String name, ObjectMapper mapper) {
    this.name = name;
    this.mapper = mapper;
  }

  /** Dates as ISO-8601 strings, unknown properties fail decoding so a changed class reads as a miss. */
  static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode a " + value.getClass().getName() + " as " + name + ": "
              + e.getOriginalMessage()
              + "; give it Jackson-readable properties or choose another codec", e);
    }
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    try {
      return mapper.readValue(bytes, javaType);
    } catch (IOException | RuntimeException e) {
      throw new DecodingException(
          "cannot decode " + bytes.length + " bytes of " + name + " as " + javaType.toCanonical()
              + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
