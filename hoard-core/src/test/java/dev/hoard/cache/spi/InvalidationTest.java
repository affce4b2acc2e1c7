package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class InvalidationTest {

  private static String randomString(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(40);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(switch (random.nextInt(4)) {
        case 0 -> random.nextInt(32);
        case 1 -> 'a' + random.nextInt(26);
        case 2 -> 0x80 + random.nextInt(0x700);
        default -> 0x1F600 + random.nextInt(50);
      });
    }
    return text.toString();
  }

  @RepeatedTest(200)
  void theWireFormReadsBackExactly(RepetitionInfo repetition) {
    long seed = 7_919L * repetition.getCurrentRepetition();
    Random random = new Random(seed);
    List<String> keys = new ArrayList<>();
    List<String> globs = new ArrayList<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      keys.add(randomString(random));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      globs.add(randomString(random));
    }
    Invalidation message =
        new Invalidation("o" + randomString(random), keys, globs, random.nextBoolean());
    assertThat(Invalidation.fromBytes(message.toBytes())).as("seed %d", seed).isEqualTo(message);
  }

  @Test
  void malformedMessagesAreRefusedWithAClearError() {
    byte[] wire = Invalidation.ofKeys("me", List.of("a", "b")).toBytes();
    assertThatThrownBy(() -> Invalidation.fromBytes(Arrays.copyOf(wire, wire.length - 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    byte[] future = wire.clone();
    future[0] = 9;
    assertThatThrownBy(() -> Invalidation.fromBytes(future))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    assertThatThrownBy(() -> Invalidation.fromBytes(Arrays.copyOf(wire, wire.length + 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left over");
    assertThatThrownBy(() -> Invalidation.ofEverything(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin");
  }
}
