package dev.hoard.servlet.internal.cache;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP-date (RFC 9110 §5.6.7) in its preferred IMF-fixdate form. */
public final class HttpDates {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private HttpDates() {}

  /** Epoch milliseconds of an HTTP-date, or -1 when it is absent or not a valid date. */
  public static long parse(String text) {
    if (text == null) {
      return -1;
    }
    try {
      return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(text.trim())).toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** The IMF-fixdate of an instant, to the second. */
  public static String format(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }
}
