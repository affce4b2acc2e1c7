package dev.hoard.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The one AES-GCM implementation behind cookie sessions and attributes encrypted at rest. */
class KeyRingTest {

  private static final byte[] CONTEXT = "session-key\0cart".getBytes(UTF_8);

  @Test
  void whatTheFirstKeySealsEveryRingHoldingThatKeyOpens() {
    String oldKey = KeyRing.generateKey();
    String newKey = KeyRing.generateKey();
    byte[] sealed = KeyRing.parse(oldKey).seal("cart".getBytes(UTF_8), CONTEXT);

    assertThat(new String(sealed, UTF_8)).doesNotContain("cart");
    assertThat(KeyRing.parse(newKey + "," + oldKey).open(sealed, CONTEXT)).asString(UTF_8)
        .isEqualTo("cart");
    assertThat(KeyRing.parse(newKey).open(sealed, CONTEXT)).as("a retired key").isNull();
    byte[] resealed = KeyRing.parse(newKey + "," + oldKey).seal(new byte[] {1}, CONTEXT);
    assertThat(KeyRing.parse(newKey).open(resealed, CONTEXT)).containsExactly(1);
  }

  @Test
  void sealedBytesOpenOnlyInTheirContextAndUnchanged() {
    KeyRing ring = KeyRing.parse(KeyRing.generateKey());
    byte[] sealed = ring.seal("4111".getBytes(UTF_8), CONTEXT);

    assertThat(ring.open(sealed, "session-key\0other".getBytes(UTF_8)))
        .as("moved to another attribute").isNull();
    assertThat(ring.open(sealed, "other-key\0cart".getBytes(UTF_8)))
        .as("moved to another session").isNull();
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 1;
      assertThat(ring.open(tampered, CONTEXT)).as("bit flipped in byte " + i).isNull();
    }
    assertThat(ring.open(Arrays.copyOf(sealed, sealed.length - 1), CONTEXT)).isNull();
    assertThat(ring.open(new byte[0], CONTEXT)).isNull();
    assertThat(ring.open(null, CONTEXT)).isNull();
  }

  @Test
  void badKeysAreRefusedWithoutShowingThem() {
    String key = KeyRing.generateKey();
    assertThatThrownBy(() -> KeyRing.parse(key + ",c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 2 of 2")
        .hasMessageContaining("32 bytes").hasMessageNotContaining(key);
    assertThatThrownBy(() -> KeyRing.parse(key + "," + key))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(key);
    assertThatThrownBy(() -> KeyRing.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("generateKey");
    assertThat(KeyRing.parse(key).toString()).isEqualTo("AES-256-GCM, 1 key")
        .doesNotContain(key);
  }
}
