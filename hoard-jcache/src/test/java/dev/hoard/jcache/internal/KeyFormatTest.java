package dev.hoard.jcache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.codec.Codecs;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Store keys are one to one with JCache keys, whatever the key looks like. */
class KeyFormatTest {

  private final KeyFormat own = new KeyFormat("", Codecs.signedJava(new byte[32],
      List.of("*")), getClass().getClassLoader(), false);
  private final KeyFormat shared = new KeyFormat(KeyFormat.prefixOf("users:eu"),
      Codecs.signedJava(new byte[32], List.of("*")), getClass().getClassLoader(), false);

  @Test
  void keysThatLookAlikeGetDifferentStoreKeysAndComeBackAsThemselves() {
    List<Object> keys = List.of("42", 42L, 42, "\0l42", "\0s", "", "\0", "jcache:x",
        UUID.fromString("7c1e2f8a-2b3c-4d5e-8f90-a1b2c3d4e5f6"), List.of(1, 2));
    for (KeyFormat format : List.of(own, shared)) {
      Set<String> storeKeys = new HashSet<>();
      for (Object key : keys) {
        String storeKey = format.storeKey(key);
        assertThat(storeKey).startsWith(format.prefix());
        assertThat(storeKeys.add(storeKey)).as("store key of %s is unique", key).isTrue();
        assertThat(format.key(storeKey)).isEqualTo(key);
      }
    }
  }

  @Test
  void aStringKeyOnACacheWithItsOwnStoreIsItsOwnStoreKey() {
    String key = "user:" + new Random(7).nextInt();
    assertThat(own.storeKey(key)).isSameAs(key);
  }

  @Test
  void noCachePrefixIsThePrefixOfAnother() {
    assertThat(KeyFormat.prefixOf("a:b")).doesNotStartWith(KeyFormat.prefixOf("a"));
    assertThat(KeyFormat.prefixOf("a%3Ab")).isNotEqualTo(KeyFormat.prefixOf("a:b"));
  }
}
