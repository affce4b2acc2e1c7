package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Glob matching, checked by example and against a regex translation on random inputs. */
class GlobTest {

  private static final String ALPHABET = "ab:*?[]\\^-!.%_";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "user:*|user:1|true",
      "user:*|user:|true",
      "user:*|users:1|false",
      "*:1|post:1|true",
      "h?llo|hello|true",
      "h?llo|hllo|false",
      "h[ae]llo|hallo|true",
      "h[ae]llo|hillo|false",
      "h[^e]llo|hallo|true",
      "h[^e]llo|hello|false",
      "h[!e]llo|hello|false",
      "h[a-c]llo|hbllo|true",
      "h[a-c]llo|hdllo|false",
      "a\\*b|a*b|true",
      "a\\*b|axb|false",
      "**|anything|true",
      "a*b*c|abc|true",
      "a*b*c|aXbYc|true",
      "a*b*c|aXbY|false",
      "50%_*|50%_off|true",
      "[]]|]|true",
  })
  void matchesLikeRedis(String pattern, String text, boolean matches) {
    assertThat(Glob.of(pattern).matches(text)).as("%s ~ %s", pattern, text).isEqualTo(matches);
  }

  @Test
  void reportsItsLiteralPrefixAndTranslatesToLike() {
    assertThat(Glob.of("user:\\*x*").literalPrefix()).isEqualTo("user:*x");
    assertThat(Glob.of("*x").literalPrefix()).isEmpty();
    assertThat(Glob.of("50%_a*?").toSqlLike()).isEqualTo("50\\%\\_a%_");
  }

  @Test
  void refusesMalformedPatternsNamingThem() {
    assertThatThrownBy(() -> Glob.of("a[bc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a[bc");
    assertThatThrownBy(() -> Glob.of("ab\\")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone");
  }

  @RepeatedTest(300)
  void agreesWithARegexTranslation(RepetitionInfo repetition) {
    long seed = 0x6106L * 1_000 + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    String pattern = randomPattern(random);
    Pattern regex;
    try {
      regex = Pattern.compile(toRegex(pattern), Pattern.DOTALL);
    } catch (IllegalArgumentException e) {
      return;
    }
    Glob glob = Glob.of(pattern);
    for (int i = 0; i < 50; i++) {
      String text = randomText(random);
      assertThat(glob.matches(text))
          .as("seed %d: glob %s on %s", seed, pattern, text)
          .isEqualTo(regex.matcher(text).matches());
    }
  }

  @RepeatedTest(200)
  void anEscapedLiteralMatchesOnlyItself(RepetitionInfo repetition) {
    long seed = 0xE5CL * 1_000 + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    String literal = randomText(random);
    Glob glob = Glob.of(Glob.escape(literal));
    assertThat(glob.matches(literal)).as("seed %d: %s", seed, literal).isTrue();
    assertThat(glob.literalPrefix()).isEqualTo(literal);
    String other = randomText(random);
    assertThat(glob.matches(other)).as("seed %d: %s vs %s", seed, literal, other)
        .isEqualTo(other.equals(literal));
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }

  /** Well-formed patterns only: classes are closed, escapes are followed by a character. */
  private static String randomPattern(Random random) {
    StringBuilder pattern = new StringBuilder();
    int length = random.nextInt(6);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(6)) {
        case 0 -> pattern.append('*');
        case 1 -> pattern.append('?');
        case 2 -> pattern.append('\\').append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 3 -> pattern.append(random.nextBoolean() ? "[ab]" : "[^:a]");
        default -> pattern.append("ab:.%_".charAt(random.nextInt(6)));
      }
    }
    return pattern.toString();
  }

  /** An independent translation of the well-formed patterns above. */
  private static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '\\' -> regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        case '[' -> {
          int close = glob.indexOf(']', i);
          regex.append(glob, i, close + 1);
          i = close;
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
