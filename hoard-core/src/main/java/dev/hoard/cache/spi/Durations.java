package dev.hoard.cache.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the short duration syntax used in URLs and on the command line: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601. */
public final class Durations {

  private Durations() {}

  /**
   * Parses a positive duration.
   *
   * @throws IllegalArgumentException naming the text when it is not a positive duration
   */
  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Duration duration;
    try {
      if (value.startsWith("p")) {
        duration = Duration.parse(value.toUpperCase(Locale.ROOT));
      } else if (value.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      } else {
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        duration = switch (value.charAt(value.length() - 1)) {
          case 's' -> Duration.ofSeconds(amount);
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          case 'd' -> Duration.ofDays(amount);
          default -> throw new NumberFormatException();
        };
      }
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "must be a duration like 500ms, 30s, 5m, 2h, 1d or PT5M, was '" + text + "'");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("must be a positive duration, was '" + text + "'");
    }
    return duration;
  }
}
