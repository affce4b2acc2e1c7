package dev.hoard.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The binary Jackson formats and compression round-trip random values and refuse bad frames. */
class BinaryCodecsTest {

  record Order(long id, String customer, List<String> items, Map<String, Integer> quantities,
      Instant placedAt, double total) {}

  private static Order randomOrder(Random random, int items) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (int i = 0; i < items; i++) {
      String item = randomString(random);
      names.add(item);
      quantities.put(item, random.nextInt());
    }
    return new Order(random.nextLong(), randomString(random), names, quantities,
        Instant.ofEpochMilli(random.nextLong() >>> 24), random.nextDouble() * 1e6);
  }

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.appendCodePoint(
          random.nextBoolean() ? 32 + random.nextInt(95) : 0xA0 + random.nextInt(0x2000));
    }
    return text.toString();
  }

  static Stream<Arguments> codecs() {
    Codec json = Codecs.json();
    return Stream.of(
        Arguments.of(Codecs.smile()), Arguments.of(Codecs.cbor()), Arguments.of(Codecs.msgpack()),
        Arguments.of(Codecs.compressed(json, Compression.ZSTD, 0)),
        Arguments.of(Codecs.compressed(json, Compression.LZ4, 0)),
        Arguments.of(Codecs.compressed(Codecs.smile(), Compression.ZSTD, 64)));
  }

  @ParameterizedTest
  @MethodSource("codecs")
  void roundTripsRandomValues(Codec codec) {
    for (long seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed * 31 + codec.name().hashCode());
      Order order = randomOrder(random, random.nextInt(40));
      assertThat(codec.decode(codec.encode(order), Order.class))
          .as("%s, seed %d", codec.name(), seed).isEqualTo(order);
    }
  }

  @Test
  void binaryFormatsAreNamedAndSmallerThanJson() {
    Order order = randomOrder(new Random(7), 30);
    int json = Codecs.json().encode(order).length;
    assertThat(Codecs.named("smile").name()).isEqualTo("smile");
    assertThat(Codecs.named("cbor").name()).isEqualTo("cbor");
    assertThat(Codecs.named("msgpack").name()).isEqualTo("msgpack");
    assertThat(Codecs.smile().encode(order).length).isLessThan(json);
    assertThat(Codecs.cbor().encode(order).length).isLessThan(json);
    assertThat(Codecs.msgpack().encode(order).length).isLessThan(json);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressesOnlyFromTheThresholdAndReadsPlainValuesWrittenBefore(Compression compression) {
    Codec plain = Codecs.json();
    Codec compressing = Codecs.compressed(plain, compression, 1024);
    assertThat(compressing.name()).isEqualTo("json+" + compression.urlValue());
    Order small = randomOrder(new Random(1), 1);
    assertThat(compressing.encode(small)).isEqualTo(plain.encode(small));
    Order large = new Order(1, "Ada", repeated("widget", 200), Map.of(), Instant.EPOCH, 2.5);
    byte[] plainBytes = plain.encode(large);
    byte[] frame = compressing.encode(large);
    assertThat(plainBytes.length).isGreaterThan(1024);
    assertThat(frame.length).isLessThan(plainBytes.length / 4);
    assertThat(Frames.formatOf(frame)).isEqualTo(compression);
    assertThat(compressing.decode(frame, Order.class)).isEqualTo(large);
    assertThat(compressing.decode(plainBytes, Order.class)).isEqualTo(large);
  }

  @Test
  void eitherCompressionReadsTheOthersFrames() {
    Order large = new Order(1, "Ada", repeated("gizmo", 300), Map.of(), Instant.EPOCH, 2.5);
    Codec zstd = Codecs.compressed(Codecs.json(), Compression.ZSTD, 0);
    Codec lz4 = Codecs.compressed(Codecs.json(), Compression.LZ4, 0);
    assertThat(zstd.decode(lz4.encode(large), Order.class)).isEqualTo(large);
    assertThat(lz4.decode(zstd.encode(large), Order.class)).isEqualTo(large);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void rawBytesThatLookLikeAFrameAreCompressedSoTheyReadBackUnchanged(Compression compression) {
    Codec codec = Codecs.compressed(Codecs.bytes(), compression, 1024);
    byte[] zstdLookalike = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2, 3};
    byte[] lz4Lookalike = {0x04, 0x22, 0x4D, 0x18, 9};
    for (byte[] value : List.of(zstdLookalike, lz4Lookalike)) {
      byte[] stored = codec.encode(value);
      assertThat(stored).isNotEqualTo(value);
      assertThat((byte[]) codec.decode(stored, byte[].class)).isEqualTo(value);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void refusesCorruptFramesAndBombs(Compression compression) {
    Codec codec = Codecs.compressed(Codecs.bytes(), compression, 0);
    byte[] frame = codec.encode("hello, compressed world".repeat(50).getBytes(UTF_8));
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] broken = Arrays.copyOf(frame, 4 + random.nextInt(frame.length - 4));
      assertThatThrownBy(() -> codec.decode(broken, byte[].class))
          .as("truncated to %d", broken.length).isInstanceOf(DecodingException.class);
    }
    byte[] bomb = codec.encode(new byte[CompressingCodec.MAX_DECOMPRESSED_BYTES + 1]);
    assertThat(bomb.length).isLessThan(1024 * 1024);
    assertThatThrownBy(() -> codec.decode(bomb, byte[].class))
        .isInstanceOf(DecodingException.class).hasMessageContaining("limit");
  }

  @Test
  void aNegativeThresholdIsRefused() {
    assertThatThrownBy(() -> Codecs.compressed(Codecs.json(), Compression.ZSTD, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThatThrownBy(() -> Compression.fromUrlValue("gzip")).hasMessageContaining("gzip");
  }

  private static List<String> repeated(String word, int times) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      words.add(word + (i % 7));
    }
    return words;
  }
}
