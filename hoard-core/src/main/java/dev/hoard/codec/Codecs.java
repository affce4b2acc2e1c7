package dev.hoard.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/** The codecs Hoard ships. */
public final class Codecs {

  private static final Codec JSON = new JacksonCodec("json", JacksonCodec.configure(new ObjectMapper()));

  private Codecs() {}

  /**
   * JSON through Jackson, the default for byte stores: other languages can read what Java wrote.
   * Dates are ISO-8601 strings; unknown properties fail decoding so a changed class reads as a miss.
   */
  public static Codec json() {
    return JSON;
  }

  /** JSON through the caller's own configured {@link ObjectMapper}. */
  public static Codec json(ObjectMapper mapper) {
    return new JacksonCodec("json", mapper);
  }

  /**
   * Smile, Jackson's binary JSON: the same values as {@link #json()} in fewer bytes and faster to
   * read. Needs {@code com.fasterxml.jackson.dataformat:jackson-dataformat-smile}.
   */
  public static Codec smile() {
    return binaryJson("smile", "com.fasterxml.jackson.dataformat.smile.SmileFactory",
        "com.fasterxml.jackson.dataformat:jackson-dataformat-smile");
  }

  /**
   * CBOR (RFC 8949), binary JSON with libraries in most languages. Needs {@code
   * com.fasterxml.jackson.dataformat:jackson-dataformat-cbor}.
   */
  public static Codec cbor() {
    return binaryJson("cbor", "com.fasterxml.jackson.dataformat.cbor.CBORFactory",
        "com.fasterxml.jackson.dataformat:jackson-dataformat-cbor");
  }

  /**
   * MessagePack, for caches shared with services in other languages that use it. Needs {@code
   * org.msgpack:jackson-dataformat-msgpack}.
   */
  public static Codec msgpack() {
    return binaryJson("msgpack", "org.msgpack.jackson.dataformat.MessagePackFactory",
        "org.msgpack:jackson-dataformat-msgpack");
  }

  /**
   * Compresses what {@code codec} writes when it is at least {@code thresholdBytes} long; smaller
   * values are stored as they are, since a frame's header would outweigh the gain. Values written
   * without compression, or with the other one, stay readable.
   *
   * @throws IllegalStateException if the compression's library is not on the classpath, naming it
   */
  public static Codec compressed(Codec codec, Compression compression, int thresholdBytes) {
    return new CompressingCodec(codec, compression, thresholdBytes);
  }

  /** UTF-8 text: values must be {@link CharSequence}s and decode as {@link String}. */
  public static Codec utf8() {
    return Utf8Codec.INSTANCE;
  }

  /** Raw bytes: values must be {@code byte[]} and are stored as they are. */
  public static Codec bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * Java serialization, signed with HMAC-SHA256 and read back only after the signature checks out
   * and only for classes the allow-list names. Unsigned or tampered bytes are never deserialized.
   *
   * @param key at least 32 bytes of secret, shared by every process that reads the cache
   * @param allowedClasses class name patterns as in {@link java.io.ObjectInputFilter.Config#createFilter},
   *     e.g. {@code com.example.model.*} or {@code java.util.*}
   * @throws IllegalArgumentException if the key is shorter than 32 bytes or the allow-list is empty
   */
  public static Codec signedJava(byte[] key, List<String> allowedClasses) {
    return new SignedJavaCodec(key, allowedClasses);
  }

  /**
   * The codec with this name: {@code json}, {@code smile}, {@code cbor}, {@code msgpack}, {@code
   * utf8} or {@code bytes}.
   *
   * @throws IllegalArgumentException for any other name (signed Java serialization needs a key:
   *     {@link #signedJava} in code, or {@code codec=signed-java} in a cache URL with the key in
   *     the environment)
   */
  public static Codec named(String name) {
    return switch (name) {
      case "json" -> json();
      case "smile" -> smile();
      case "cbor" -> cbor();
      case "msgpack" -> msgpack();
      case "utf8" -> utf8();
      case "bytes" -> bytes();
      default -> throw new IllegalArgumentException(
          "unknown codec '" + name + "'; use json, smile, cbor, msgpack, utf8, bytes or "
              + "signed-java");
    };
  }

  /**
   * A Jackson mapper over a binary format's factory, created reflectively so that the format's
   * library stays optional: a missing one fails here with its coordinates, not at class loading.
   */
  private static Codec binaryJson(String name, String factoryClass, String artifact) {
    JsonFactory factory;
    try {
      factory = (JsonFactory) Class.forName(factoryClass).getConstructor().newInstance();
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      throw new IllegalStateException(
          "codec " + name + " needs " + artifact + " on the classpath; add that dependency "
              + "(Hoard declares it optional)", e);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
      throw new IllegalStateException("cannot create the " + name + " codec: " + cause, cause);
    }
    return new JacksonCodec(name, JacksonCodec.configure(new ObjectMapper(factory)));
  }
}
