package dev.hoard.codec;

/**
 * A compression for {@link Codecs#compressed}: values are stored as one standard frame of the
 * format, so any zstd or LZ4 tool can read them. Each needs its library on the classpath, which
 * Hoard declares as an optional dependency.
 */
public enum Compression {
  /** Zstandard through {@code com.github.luben:zstd-jni}: the better ratio, for large text. */
  ZSTD("zstd", "com.github.luben.zstd.Zstd", "com.github.luben:zstd-jni"),
  /** LZ4 frames through {@code at.yawk.lz4:lz4-java}: the faster one, for hot values. */
  LZ4("lz4", "net.jpountz.lz4.LZ4FrameOutputStream", "at.yawk.lz4:lz4-java");

  private final String urlValue;
  private final String probeClass;
  private final String artifact;

  Compression(String urlValue, String probeClass, String artifact) {
    this.urlValue = urlValue;
    this.probeClass = probeClass;
    this.artifact = artifact;
  }

  /** The name used in URLs ({@code compress=zstd}) and codec names ({@code json+zstd}). */
  public String urlValue() {
    return urlValue;
  }

  /**
   * The compression a URL names.
   *
   * @throws IllegalArgumentException for a name other than {@code zstd} or {@code lz4}
   */
  public static Compression fromUrlValue(String value) {
    for (Compression compression : values()) {
      if (compression.urlValue.equals(value)) {
        return compression;
      }
    }
    throw new IllegalArgumentException(
        "unknown compression '" + value + "'; use zstd or lz4");
  }

  /** Fails with the artifact to add when the library is missing, instead of at the first write. */
  void requireLibrary() {
    try {
      Class.forName(probeClass, false, Compression.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "compression " + urlValue + " needs " + artifact + " on the classpath; add that "
              + "dependency (Hoard declares it optional)", e);
    }
  }
}
