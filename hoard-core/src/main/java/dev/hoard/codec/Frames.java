package dev.hoard.codec;

/** Recognises a compressed frame by the magic number its format puts first. */
final class Frames {

  /** 0xFD2FB528, little-endian, RFC 8878 section 3.1.1. */
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
  /** 0x184D2204, little-endian, the LZ4 frame format's magic number. */
  private static final byte[] LZ4_MAGIC = {0x04, 0x22, 0x4D, 0x18};

  private Frames() {}

  /** The format whose magic number {@code bytes} start with, or null. */
  static Compression formatOf(byte[] bytes) {
    if (startsWith(bytes, ZSTD_MAGIC)) {
      return Compression.ZSTD;
    }
    return startsWith(bytes, LZ4_MAGIC) ? Compression.LZ4 : null;
  }

  private static boolean startsWith(byte[] bytes, byte[] magic) {
    if (bytes.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (bytes[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
