package dev.hoard.cache.file.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The bytes of one file-store entry file, all integers big-endian:
 *
 * <pre>
 * magic "HOAR" (4) | version 1 (1) | expiresAt epoch millis (8) | key length (4) | value length (4)
 * | key, UTF-8 | value | CRC32C of everything before it (4)
 * </pre>
 *
 * <p>The key is stored so a scan can list keys and so a read can prove the file belongs to the key
 * it asked for; the checksum turns a file torn by a power loss or damaged on disk into a detected
 * miss instead of a wrong value.
 */
public final class EntryFile {

  static final int MAGIC = 0x484F4152;
  static final byte VERSION = 1;
  static final int HEADER_BYTES = 4 + 1 + 8 + 4 + 4;
  static final int CHECKSUM_BYTES = 4;
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

  private EntryFile() {}

  /** A decoded entry: its absolute expiry and its value. */
  public record Entry(long expiresAt, byte[] value) {}

  /** The start of an entry file: the key bytes and the expiry, read without the value. */
  public record Header(byte[] key, long expiresAt) {}

  /** An entry file that does not hold what it should; the message says what is wrong. */
  public static final class CorruptEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptEntryException(String message) {
      super(message);
    }
  }

  /**
   * Encodes a key as strict UTF-8.
   *
   * @throws IllegalArgumentException if the key holds an unpaired surrogate, which UTF-8 cannot hold
   */
  public static byte[] keyBytes(String key) {
    try {
      ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(key));
      return Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "cache key '" + key + "' holds an unpaired UTF-16 surrogate; the file store keeps keys"
              + " as UTF-8, so use well-formed strings as keys", e);
    }
  }

  /** Decodes key bytes read from a header; malformed UTF-8 means the file is corrupt. */
  public static String keyString(byte[] keyBytes) throws CorruptEntryException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(keyBytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptEntryException("key is not valid UTF-8");
    }
  }

  /**
   * Writes a complete entry file at {@code file}, which must not exist yet. The value is not
   * copied: header, key, value and checksum go out in one gathering write.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   * @throws NoSuchFileException if its directory does not exist
   */
  public static void write(Path file, byte[] key, long expiresAt, byte[] value) throws IOException {
    if ((long) HEADER_BYTES + key.length + value.length + CHECKSUM_BYTES > MAX_FILE_BYTES) {
      throw new IllegalArgumentException(
          "value of " + value.length + " bytes is too large for one file-store entry (at most about"
              + " 2 GiB with its key); store smaller values");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
        .putInt(MAGIC).put(VERSION).putLong(expiresAt).putInt(key.length).putInt(value.length)
        .flip();
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, HEADER_BYTES);
    crc.update(key);
    crc.update(value);
    ByteBuffer checksum = ByteBuffer.allocate(CHECKSUM_BYTES).putInt((int) crc.getValue()).flip();
    ByteBuffer[] parts = {header, ByteBuffer.wrap(key), ByteBuffer.wrap(value), checksum};
    try (FileChannel channel = FileChannel.open(
        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (checksum.hasRemaining()) {
        channel.write(parts);
      }
    }
  }

  /**
   * Reads and checks a whole entry file.
   *
   * @return the entry, or {@code null} if the file does not exist
   * @throws CorruptEntryException if the file is damaged or belongs to another key
   */
  public static Entry read(Path file, byte[] expectedKey) throws IOException, CorruptEntryException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    return decode(bytes, expectedKey);
  }

  /** Checks and decodes the bytes of an entry file written for {@code expectedKey}. */
  static Entry decode(byte[] bytes, byte[] expectedKey) throws CorruptEntryException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int[] lengths = checkHeader(buffer, bytes.length);
    int keyLength = lengths[0];
    int valueLength = lengths[1];
    long expiresAt = buffer.getLong(5);
    if ((long) HEADER_BYTES + keyLength + valueLength + CHECKSUM_BYTES != bytes.length) {
      throw new CorruptEntryException(
          "file is " + bytes.length + " bytes but its header announces "
              + (HEADER_BYTES + (long) keyLength + valueLength + CHECKSUM_BYTES));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - CHECKSUM_BYTES);
    if ((int) crc.getValue() != buffer.getInt(bytes.length - CHECKSUM_BYTES)) {
      throw new CorruptEntryException("checksum mismatch");
    }
    if (!Arrays.equals(bytes, HEADER_BYTES, HEADER_BYTES + keyLength,
        expectedKey, 0, expectedKey.length)) {
      throw new CorruptEntryException("file holds another key than the one it is named for");
    }
    int valueStart = HEADER_BYTES + keyLength;
    return new Entry(expiresAt, Arrays.copyOfRange(bytes, valueStart, valueStart + valueLength));
  }

  /**
   * Reads only the header and key of an entry file, for scans; the value and checksum are not
   * checked.
   *
   * @return the header, or {@code null} if the file does not exist
   */
  public static Header readHeader(Path file) throws IOException, CorruptEntryException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] start = in.readNBytes(HEADER_BYTES);
      ByteBuffer buffer = ByteBuffer.wrap(start);
      int[] lengths = checkHeader(buffer, Long.MAX_VALUE);
      byte[] key = in.readNBytes(lengths[0]);
      if (key.length != lengths[0]) {
        throw new CorruptEntryException("file ends inside its key");
      }
      return new Header(key, buffer.getLong(5));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Checks magic, version and lengths; returns {key length, value length}. */
  private static int[] checkHeader(ByteBuffer buffer, long fileLength)
      throws CorruptEntryException {
    if (buffer.limit() < HEADER_BYTES) {
      throw new CorruptEntryException(
          "file is " + buffer.limit() + " bytes, shorter than an entry header");
    }
    if (buffer.getInt(0) != MAGIC) {
      throw new CorruptEntryException("not a Hoard entry file (bad magic number)");
    }
    if (buffer.get(4) != VERSION) {
      throw new CorruptEntryException("unknown entry format version " + buffer.get(4));
    }
    int keyLength = buffer.getInt(13);
    int valueLength = buffer.getInt(17);
    if (keyLength < 0 || valueLength < 0
        || (long) HEADER_BYTES + keyLength + valueLength + CHECKSUM_BYTES > fileLength) {
      throw new CorruptEntryException(
          "header announces a key of " + keyLength + " and a value of " + valueLength + " bytes");
    }
    return new int[] {keyLength, valueLength};
  }
}
