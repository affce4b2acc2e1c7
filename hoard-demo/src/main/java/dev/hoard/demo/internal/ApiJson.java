package dev.hoard.demo.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The API's JSON: snake_case names, ISO-8601 times, unknown fields rejected, and no type coercion
 * ({@code {"title": 5}} is a 400, not the title "5").
 */
final class ApiJson {

  private static final ObjectMapper MAPPER = strict(JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build());

  private ApiJson() {}

  /** Strings, numbers and booleans are read only from their own JSON type. */
  private static ObjectMapper strict(ObjectMapper mapper) {
    refuse(mapper, LogicalType.Textual,
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.EmptyString,
        CoercionInputShape.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.EmptyString,
        CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.String,
        CoercionInputShape.EmptyString, CoercionInputShape.Integer, CoercionInputShape.Float);
    return mapper;
  }

  private static void refuse(
      ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
    }
  }

  /** Writes the value and a newline (one answer per line, for people reading curl's output). */
  static void write(Object value, OutputStream out) throws IOException {
    out.write(MAPPER.writeValueAsBytes(value));
    out.write('\n');
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /** Reads a request body; malformed or mistyped JSON is a 400 that names the field. */
  static <T> T read(String body, Class<T> type) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw ApiException.badBody("the body must be a JSON object, not null");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.invalid(e.getPropertyName(), "unknown field '" + e.getPropertyName()
          + "'; this endpoint reads " + e.getKnownPropertyIds().stream()
              .map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (InvalidFormatException e) {
      if (e.getTargetType() == null || e.getPath().isEmpty()) {
        throw ApiException.badBody("the body must be a JSON object");
      }
      String field = path(e);
      throw ApiException.invalid(field, "field '" + field + "' must be a "
          + e.getTargetType().getSimpleName().toLowerCase(Locale.ROOT)
          + ", was " + e.getValue());
    } catch (MismatchedInputException e) {
      String field = path(e);
      if (field.isEmpty()) {
        throw ApiException.badBody("the body must be a JSON object");
      }
      throw ApiException.invalid(field, "field '" + field + "' has the wrong type: expected "
          + describe(e.getTargetType()));
    } catch (JsonProcessingException e) {
      throw ApiException.badBody("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(reference -> reference.getFieldName() != null
            ? reference.getFieldName() : String.valueOf(reference.getIndex()))
        .collect(Collectors.joining("."));
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    return "an object";
  }
}
