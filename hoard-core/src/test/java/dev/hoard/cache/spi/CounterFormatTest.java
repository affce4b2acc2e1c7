package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one stored form of counters: ASCII decimal bytes, or a Long by reference. */
class CounterFormatTest {

  @Test
  void encodesAsAsciiDecimalDigits() {
    assertThat(CounterFormat.encode(0)).isEqualTo("0".getBytes(StandardCharsets.US_ASCII));
    assertThat(CounterFormat.encode(-42)).isEqualTo("-42".getBytes(StandardCharsets.US_ASCII));
    assertThat(CounterFormat.encode(Long.MAX_VALUE))
        .isEqualTo("9223372036854775807".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void decodesWhatItEncodes() {
    long seed = System.nanoTime();
    System.out.println("CounterFormatTest seed " + seed);
    Random random = new Random(seed);
    for (int i = 0; i < 1_000; i++) {
      long value = random.nextLong();
      assertThat(CounterFormat.decode("k", CounterFormat.encode(value)))
          .as("seed %d, value %d", seed, value).isEqualTo(value);
    }
    assertThat(CounterFormat.decode("k", CounterFormat.encode(Long.MIN_VALUE)))
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void readsALongFromAStoreThatKeepsReferences() {
    assertThat(CounterFormat.decode("k", (Object) 7L)).isEqualTo(7);
    assertThat(CounterFormat.decode("k", (Object) CounterFormat.encode(7))).isEqualTo(7);
  }

  @Test
  void refusesBytesThatAreNotACounterNamingTheKey() {
    byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> CounterFormat.decode("greeting", text))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'greeting'")
        .hasMessageContaining("5 bytes")
        .hasMessageContaining("delete it");
    byte[] tooLarge = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> CounterFormat.decode("big", tooLarge))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'big'");
    assertThatThrownBy(() -> CounterFormat.decode("empty", new byte[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'empty'");
  }

  @Test
  void refusesAnotherObjectNamingItsType() {
    assertThatThrownBy(() -> CounterFormat.decode("name", (Object) "Ada"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'name'")
        .hasMessageContaining("a String");
  }
}
