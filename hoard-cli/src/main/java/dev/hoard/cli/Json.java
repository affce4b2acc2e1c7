package dev.hoard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** How the CLI reads values typed on the command line and prints cached values. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * Parses a JSON value into plain Java (maps, lists, strings, numbers, booleans).
   *
   * @throws IllegalArgumentException if the text is not JSON or is {@code null}
   */
  static Object parse(String text) {
    Object value;
    try {
      value = MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "VALUE is not valid JSON (" + e.getOriginalMessage() + "); quote JSON strings, e.g."
              + " '\"text\"', or leave out --json to store the text as it is");
    }
    if (value == null) {
      throw new IllegalArgumentException("VALUE is JSON null, which a cache cannot hold");
    }
    return value;
  }

  /** The value as one line of JSON; raw bytes print as base64. */
  static String print(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a " + value.getClass().getName()
          + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The value as text, or null when it is structured (an object or array) rather than text. */
  static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return null;
  }

  /** What a structured value is, in the words a JSON user knows. */
  static String kind(Object value) {
    if (value instanceof Map) {
      return "a JSON object";
    }
    if (value instanceof Collection || value.getClass().isArray()) {
      return "a JSON array";
    }
    return "a " + value.getClass().getName();
  }
}
