package dev.hoard.codec;

import java.lang.reflect.Type;
import java.util.Objects;

/**
 * Compresses what another codec writes once it reaches a size, as one standard zstd or LZ4 frame.
 * Reading needs no flag: a value that starts with a frame's magic number is a frame (the codec
 * compresses the rare small value that starts with one too, so the rule has no exception), and any
 * other value is read as it is, so values written before compression was turned on stay readable,
 * and so do values written with the other compression.
 */
final class CompressingCodec implements Codec {

  /** Frames that claim more than this are refused rather than inflated (a decompression bomb). */
  static final int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

  private final Codec codec;
  private final Compression compression;
  private final int threshold;
  private final String name;

  CompressingCodec(Codec codec, Compression compression, int threshold) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.compression = Objects.requireNonNull(compression, "compression");
    if (threshold < 0) {
      throw new IllegalArgumentException(
          "compression threshold must be zero or more bytes, was " + threshold);
    }
    compression.requireLibrary();
    this.threshold = threshold;
    this.name = codec.name() + "+" + compression.urlValue();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] encode(Object value) {
    byte[] plain = codec.encode(value);
    if (plain.length < threshold && Frames.formatOf(plain) == null) {
      return plain;
    }
    return compression == Compression.ZSTD ? ZstdFrames.compress(plain) : Lz4Frames.compress(plain);
  }

  @Override
  public Object decode(byte[] bytes, Type type) {
    Compression format = Frames.formatOf(bytes);
    if (format == null) {
      return codec.decode(bytes, type);
    }
    byte[] plain;
    try {
      plain = format == Compression.ZSTD
          ? ZstdFrames.decompress(bytes, MAX_DECOMPRESSED_BYTES)
          : Lz4Frames.decompress(bytes, MAX_DECOMPRESSED_BYTES);
    } catch (LinkageError e) {
      throw new DecodingException(
          "a stored value is a " + format.urlValue() + " frame but the " + format.urlValue()
              + " library is not on the classpath; add it to read such values", null);
    }
    return codec.decode(plain, type);
  }

  @Override
  public String toString() {
    return name;
  }
}
