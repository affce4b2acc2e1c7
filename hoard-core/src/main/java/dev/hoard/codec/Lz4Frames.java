package dev.hoard.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/** LZ4 frames through lz4-java; loaded only when an LZ4 value is written or read. */
final class Lz4Frames {

  private Lz4Frames() {}

  static byte[] compress(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 32);
    try (LZ4FrameOutputStream frame = new LZ4FrameOutputStream(out)) {
      frame.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException("LZ4 into memory cannot fail, but did", e);
    }
    return out.toByteArray();
  }

  static byte[] decompress(byte[] frame, int limit) {
    try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
      byte[] plain = in.readNBytes(limit + 1);
      if (plain.length > limit) {
        throw new DecodingException(
            "LZ4 frame of " + frame.length + " bytes inflates past the limit of " + limit, null);
      }
      return plain;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DecodingException decoding) {
        throw decoding;
      }
      throw new DecodingException("corrupt LZ4 frame of " + frame.length + " bytes: " + e, e);
    }
  }
}
