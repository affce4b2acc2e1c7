package dev.hoard.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/** No two (scope path, key) pairs may share a store key, and every store key parses back. */
class KeySpaceTest {

  private static final String ALPHABET = "a:=%/\u001F\u001F.1 ";

  @RepeatedTest(100)
  void distinctScopesAndKeysNeverShareAStoreKey(RepetitionInfo repetition) {
    long seed = 0x5C09EL * 1_000 + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      KeySpace space = KeySpace.ROOT;
      List<String> path = new ArrayList<>();
      int depth = random.nextInt(3);
      for (int d = 0; d < depth; d++) {
        String kind = "k" + text(random);
        String id = text(random);
        space = space.child(kind, id);
        path.add(kind + "\u0000" + id);
      }
      String key = text(random);
      if (key.isEmpty()) {
        continue;
      }
      String identity = path + "\u0000\u0000" + key;
      String storeKey = space.storeKey(key);
      String previous = owners.putIfAbsent(storeKey, identity);
      assertThat(previous == null || previous.equals(identity))
          .as("seed %d: %s and %s both map to %s", seed, previous, identity, storeKey)
          .isTrue();
      assertThat(space.userKey(storeKey)).as("seed %d", seed).isEqualTo(key);
      if (!space.isRoot()) {
        assertThat(KeySpace.ROOT.userKey(storeKey)).as("seed %d: root sees %s", seed, storeKey)
            .isNull();
      }
    }
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(5);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }
}
