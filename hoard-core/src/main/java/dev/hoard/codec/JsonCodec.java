package dev.hoard.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;

/** JSON through Jackson. */
final class JsonCodec implements Codec {

  private final ObjectMapper mapper;

  JsonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  static ObjectMapper defaultMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  @Override
  public String name() {
    return "json";
  }

  @Override
  public byte[] encode(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage()
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
          "cannot decode " + bytes.length + " bytes of JSON as " + javaType.toCanonical() + ": "
              + e.getMessage(), e);
    }
  }
}
