package dev.hoard.servlet;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP-date (RFC 9110 §5.6.7): read exactly in its three forms — IMF-fixdate ({@code Sun, 06 Nov
 * 1994 08:49:37 GMT}), the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and
 * asctime ({@code Sun Nov  6 08:49:37 1994}) — and written as IMF-fixdate. Anything else, a
 * one-digit hour or a lower-case month included, is not a date.
 */
final class HttpDates {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final String DAY = "(Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
  private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
  private static final Pattern IMF_FIXDATE =
      Pattern.compile(DAY + ", (\\d{2}) " + MONTH + " (\\d{4}) " + TIME + " GMT");
  private static final Pattern RFC_850 = Pattern.compile(
      "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-" + MONTH
          + "-(\\d{2}) " + TIME + " GMT");
  private static final Pattern ASCTIME =
      Pattern.compile(DAY + " " + MONTH + " ([ \\d]\\d) " + TIME + " (\\d{4})");
  private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun",
      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

  private HttpDates() {}

  /** Epoch milliseconds of an HTTP-date, or -1 when it is absent or not a valid date. */
  public static long parse(String text) {
    if (text == null) {
      return -1;
    }
    String value = text.trim();
    try {
      Matcher m = IMF_FIXDATE.matcher(value);
      if (m.matches()) {
        return epochMillis(number(m, 4), m.group(3), number(m, 2), m, 5);
      }
      m = RFC_850.matcher(value);
      if (m.matches()) {
        return epochMillis(fullYear(number(m, 4)), m.group(3), number(m, 2), m, 5);
      }
      m = ASCTIME.matcher(value);
      if (m.matches()) {
        return epochMillis(number(m, 7), m.group(2), Integer.parseInt(m.group(3).trim()), m, 4);
      }
    } catch (DateTimeException e) {
      return -1;
    }
    return -1;
  }

  private static int number(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  /**
   * A two-digit year (RFC 850) that would be more than 50 years in the future is the most recent
   * past year with those digits (RFC 9110 §5.6.7).
   */
  private static int fullYear(int twoDigits) {
    int now = Year.now(ZoneOffset.UTC).getValue();
    int year = now - now % 100 + twoDigits;
    return year > now + 50 ? year - 100 : year;
  }

  private static long epochMillis(int year, String month, int day, Matcher m, int timeGroup) {
    int second = number(m, timeGroup + 2);
    // The grammar allows a leap second (60); java.time does not.
    LocalDateTime time = LocalDateTime.of(year, MONTHS.indexOf(month) + 1, day,
        number(m, timeGroup), number(m, timeGroup + 1), Math.min(second, 59));
    return time.toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** The IMF-fixdate of an instant, to the second. */
  public static String format(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }
}
