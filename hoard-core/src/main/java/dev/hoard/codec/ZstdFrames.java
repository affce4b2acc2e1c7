package dev.hoard.codec;

import com.github.luben.zstd.Zstd;

/** Zstandard frames through zstd-jni; loaded only when a zstd value is written or read. */
final class ZstdFrames {

  /** zstd's own default: a good ratio at several hundred MB/s on one core. */
  private static final int LEVEL = 3;

  private ZstdFrames() {}

  static byte[] compress(byte[] plain) {
    return Zstd.compress(plain, LEVEL);
  }

  static byte[] decompress(byte[] frame, int limit) {
    long size = Zstd.getFrameContentSize(frame);
    if (size < 0 || size > limit) {
      throw new DecodingException(
          "zstd frame of " + frame.length + " bytes declares "
              + (size < 0 ? "no readable content size" : size + " bytes, over the limit of " + limit),
          null);
    }
    try {
      return Zstd.decompress(frame, (int) size);
    } catch (RuntimeException e) {
      throw new DecodingException("corrupt zstd frame of " + frame.length + " bytes: " + e, e);
    }
  }
}
