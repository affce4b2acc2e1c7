package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** HTTP-date exactly as RFC 9110 §5.6.7 writes it, and nothing else. */
class HttpDatesTest {

  private static final long SUNDAY = 784_111_777_000L; // Sun, 06 Nov 1994 08:49:37 GMT

  @Test
  void theThreeFormsReadTheSameInstant() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(SUNDAY);
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(SUNDAY);
    assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(SUNDAY);
  }

  @Test
  void anythingOutsideTheGrammarIsNotADate() {
    for (String invalid : new String[] {
        "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
        "sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun Nov 6 08:49:37 1994", "0", "-1", "", "tomorrow"}) {
      assertThat(HttpDates.parse(invalid)).as(invalid).isEqualTo(-1);
    }
    assertThat(HttpDates.parse(null)).isEqualTo(-1);
  }

  @Test
  void aLeapSecondIsReadAsTheLastSecondOfItsMinute() {
    assertThat(HttpDates.parse("Sat, 31 Dec 2016 23:59:60 GMT"))
        .isEqualTo(HttpDates.parse("Sat, 31 Dec 2016 23:59:59 GMT"));
  }

  @Test
  void whatIsFormattedReadsBack() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 1000; i++) {
      long instant = (random.nextLong() & Long.MAX_VALUE) % 4_102_444_800_000L / 1000 * 1000;
      assertThat(HttpDates.parse(HttpDates.format(instant))).as("seed %d", seed).isEqualTo(instant);
    }
  }

  @Test
  void ageReadsTheFirstMemberOfAListAndIgnoresNonsense() {
    assertThat(CachedResponse.ageSeconds("7200, 0")).isEqualTo(7200);
    assertThat(CachedResponse.ageSeconds(" 15 ")).isEqualTo(15);
    assertThat(CachedResponse.ageSeconds("-5")).isZero();
    assertThat(CachedResponse.ageSeconds("1.5")).isZero();
    assertThat(CachedResponse.ageSeconds(null)).isZero();
    assertThat(CachedResponse.ageSeconds("99999999999999")).isEqualTo(CacheControl.MAX_DELTA_SECONDS);
  }
}
