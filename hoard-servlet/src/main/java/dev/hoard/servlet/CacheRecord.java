package dev.hoard.servlet;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the filter keeps in the cache under a URL: a {@link CachedResponse}, or, when responses for
 * the URL vary on request headers, a {@link VariantIndex} that names them; a {@link
 * TaggedPointer} where the response itself was written through a tagged view. Both are written in a
 * small binary form — a kind byte, a version byte, then big-endian fields — so they fit any store.
 */
sealed interface CacheRecord permits CachedResponse, VariantIndex, TaggedPointer {

  /** The binary form version; records of another version read as misses. */
  byte VERSION = 1;

  /** The binary form. */
  byte[] encode();

  /**
   * Reads a record, or returns {@code null} for bytes that are not one (corrupt, truncated, or
   * written by another version), which the filter treats as a miss.
   */
  static CacheRecord decode(byte[] bytes) {
    if (bytes == null || bytes.length < 2 || bytes[1] != VERSION) {
      return null;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    try {
      return switch (bytes[0]) {
        case CachedResponse.KIND -> CachedResponse.read(bytes, buffer);
        case VariantIndex.KIND -> VariantIndex.read(buffer);
        case TaggedPointer.KIND -> TaggedPointer.read(buffer);
        default -> null;
      };
    } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Writes length-prefixed UTF-8. */
  static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /** Reads what {@link #writeString} wrote. */
  static String readString(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      throw new IllegalArgumentException("string length " + length);
    }
    String value = new String(buffer.array(), buffer.position(), length, StandardCharsets.UTF_8);
    buffer.position(buffer.position() + length);
    return value;
  }

  /** Runs a writer over a growing buffer and returns the bytes. */
  static byte[] write(int sizeHint, Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes fields to a stream. */
  @FunctionalInterface
  interface Writer {
    void writeTo(DataOutputStream out) throws IOException;
  }
}
