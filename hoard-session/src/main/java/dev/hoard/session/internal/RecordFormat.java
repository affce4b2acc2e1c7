package dev.hoard.session.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hoard.codec.DecodingException;
import dev.hoard.session.spi.SessionRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * A {@link SessionRecord} as JSON bytes, for the stores that keep a session as one value: the
 * cookie store (inside the sealed token) and the cache-backed store. Times are decimal epoch
 * seconds with nanoseconds (exact), attribute values base64. Short field names keep cookies small.
 */
public final class RecordFormat {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .setDefaultPropertyInclusion(
          JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));

  private RecordFormat() {}

  /** The record as JSON. */
  public static byte[] write(SessionRecord record) {
    JsonRecord stored = new JsonRecord(record.key(), record.createdAt(), record.lastAccessedAt(),
        record.expiresAt(), record.userId(), record.attributes());
    try {
      return MAPPER.writeValueAsBytes(stored);
    } catch (IOException e) {
      throw new IllegalStateException("a session record could not be written as JSON", e);
    }
  }

  /**
   * The record in {@code bytes}.
   *
   * @throws DecodingException if the bytes are not a record written by {@link #write}
   */
  public static SessionRecord read(byte[] bytes) {
    try {
      JsonRecord stored = MAPPER.readValue(bytes, JsonRecord.class);
      return new SessionRecord(stored.k(), stored.c(), stored.l(), stored.e(), stored.u(),
          stored.a() == null ? Map.of() : stored.a());
    } catch (IOException | RuntimeException e) {
      throw new DecodingException(
          "not a stored session (" + bytes.length + " bytes): "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
    }
  }

  /** The JSON shape: key, created, last access, expiry, user, attributes. */
  private record JsonRecord(
      String k, Instant c, Instant l, Instant e, String u, Map<String, byte[]> a) {}
}
