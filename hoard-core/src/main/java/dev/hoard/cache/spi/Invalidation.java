package dev.hoard.cache.spi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A message on an {@link InvalidationBus}: these keys, or keys matching these globs, or everything
 * changed in the shared store, and which near cache sent it.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} are the wire format every bus uses, so that
 * processes on different bus implementations or versions can still read each other: a version
 * byte, a flag for "everything", the origin, then the keys and the globs, each string as a length
 * and UTF-8 bytes.
 *
 * @param origin the id of the near cache that sent it; it ignores its own messages
 * @param keys store keys whose entries changed
 * @param globs {@link Glob} patterns of store keys whose entries changed
 * @param everything whether every entry may have changed (a clear)
 */
public record Invalidation(String origin, List<String> keys, List<String> globs, boolean everything) {

  private static final byte VERSION = 1;

  /** Checks and copies the parts. */
  public Invalidation {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty()) {
      throw new IllegalArgumentException("origin must not be empty");
    }
    keys = List.copyOf(keys);
    globs = List.copyOf(globs);
  }

  /** These keys changed. */
  public static Invalidation ofKeys(String origin, List<String> keys) {
    return new Invalidation(origin, keys, List.of(), false);
  }

  /** Keys matching the glob changed. */
  public static Invalidation ofGlob(String origin, Glob glob) {
    return new Invalidation(origin, List.of(), List.of(glob.pattern()), false);
  }

  /** Everything changed. */
  public static Invalidation ofEverything(String origin) {
    return new Invalidation(origin, List.of(), List.of(), true);
  }

  /** The wire form. */
  public byte[] toBytes() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(VERSION);
      out.writeBoolean(everything);
      writeString(out, origin);
      writeStrings(out, keys);
      writeStrings(out, globs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /**
   * Reads the wire form.
   *
   * @throws IllegalArgumentException if the bytes are not an invalidation of a known version
   */
  public static Invalidation fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "invalidation message has version " + version + "; this Hoard reads version "
                + VERSION + " (upgrade every process sharing the store)");
      }
      boolean everything = in.readBoolean();
      String origin = readString(in);
      List<String> keys = readStrings(in);
      List<String> globs = readStrings(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "invalidation message has " + in.available() + " bytes left over");
      }
      return new Invalidation(origin, keys, globs, everything);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "invalidation message of " + bytes.length + " bytes is truncated or malformed", e);
    }
  }

  private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String string : strings) {
      writeString(out, string);
    }
  }

  private static void writeString(DataOutputStream out, String string) throws IOException {
    byte[] utf8 = string.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static List<String> readStrings(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > in.available() / Integer.BYTES) {
      throw new IOException("bad count " + count);
    }
    List<String> strings = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      strings.add(readString(in));
    }
    return strings;
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("bad length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
