package dev.hoard.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Codecs round-trip what they accept and refuse what they must not read. */
class CodecsTest {

  record Order(long id, String customer, List<String> items, Map<String, Integer> quantities,
      Instant placedAt, double total) implements Serializable {}

  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;

    Gadget(String name) {
      this.name = name;
    }
  }

  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final Codec SIGNED = Codecs.signedJava(KEY, List.of("dev.hoard.codec.CodecsTest$Order"));

  private static Order randomOrder(Random random) {
    List<String> items = new ArrayList<>();
    Map<String, Integer> quantities = new LinkedHashMap<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      String item = randomString(random);
      items.add(item);
      quantities.put(item, random.nextInt());
    }
    return new Order(random.nextLong(), randomString(random), items, quantities,
        Instant.ofEpochMilli(random.nextLong() >>> 24), random.nextDouble() * 1e6);
  }

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.appendCodePoint(random.nextBoolean() ? 32 + random.nextInt(95) : 0xA0 + random.nextInt(0x2000));
    }
    return text.toString();
  }

  @RepeatedTest(200)
  void jsonRoundTripsRandomValues(RepetitionInfo repetition) {
    long seed = 0x150L * 1_000 + repetition.getCurrentRepetition();
    Order order = randomOrder(new Random(seed));
    byte[] bytes = Codecs.json().encode(order);
    assertThat(Codecs.json().decode(bytes, Order.class)).as("seed %d", seed).isEqualTo(order);
  }

  @RepeatedTest(100)
  void signedJavaRoundTripsAndRejectsEveryMutation(RepetitionInfo repetition) {
    long seed = 0x516L * 1_000 + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    Order order = randomOrder(random);
    byte[] bytes = SIGNED.encode(order);
    assertThat(SIGNED.decode(bytes, Order.class)).as("seed %d", seed).isEqualTo(order);
    for (int i = 0; i < 20; i++) {
      byte[] mutated = bytes.clone();
      int position = random.nextInt(mutated.length);
      mutated[position] ^= (byte) (1 + random.nextInt(255));
      assertThatThrownBy(() -> SIGNED.decode(mutated, Order.class))
          .as("seed %d, byte %d", seed, position)
          .isInstanceOf(DecodingException.class);
    }
    byte[] truncated = Arrays.copyOf(bytes, random.nextInt(bytes.length));
    assertThatThrownBy(() -> SIGNED.decode(truncated, Order.class))
        .as("seed %d, truncated", seed).isInstanceOf(DecodingException.class);
  }

  @Test
  void signedJavaRefusesAnotherKeyAndClassesOutsideTheAllowList() {
    Codec other = Codecs.signedJava("another key of thirty-two bytes!".getBytes(UTF_8),
        List.of("dev.hoard.codec.CodecsTest$*"));
    Order order = new Order(1, "Ada", List.of(), Map.of(), Instant.EPOCH, 1.0);
    assertThatThrownBy(() -> SIGNED.decode(other.encode(order), Order.class))
        .isInstanceOf(DecodingException.class).hasMessageContaining("signature");
    Codec permissiveWriter = Codecs.signedJava(KEY, List.of("dev.hoard.codec.CodecsTest$*"));
    byte[] gadget = permissiveWriter.encode(new Gadget("rm -rf"));
    assertThatThrownBy(() -> SIGNED.decode(gadget, Object.class))
        .isInstanceOf(DecodingException.class);
  }

  @Test
  void signedJavaNeedsALongKeyAndAnAllowList() {
    assertThatThrownBy(() -> Codecs.signedJava(new byte[16], List.of("a.*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Codecs.signedJava(KEY, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allow-list");
  }

  @Test
  void jsonRefusesBytesOfAnotherShape() {
    byte[] bytes = Codecs.json().encode(Map.of("unexpected", true));
    assertThatThrownBy(() -> Codecs.json().decode(bytes, Order.class))
        .isInstanceOf(DecodingException.class).hasMessageContaining("Order");
    assertThatThrownBy(() -> Codecs.json().decode("{not json".getBytes(UTF_8), Object.class))
        .isInstanceOf(DecodingException.class);
  }

  @Test
  void namedCodecsAreFoundAndUnknownOnesNamed() {
    assertThat(Codecs.named("json").name()).isEqualTo("json");
    assertThat(Codecs.named("utf8").name()).isEqualTo("utf8");
    assertThat(Codecs.named("bytes").name()).isEqualTo("bytes");
    assertThatThrownBy(() -> Codecs.named("xml")).hasMessageContaining("xml");
  }
}
