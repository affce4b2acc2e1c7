package dev.hoard.redis.internal;

import dev.hoard.cache.spi.Glob;

/**
 * The {@code SCAN MATCH} pattern for a {@link Glob} under a key prefix. Redis matches bytes, not
 * characters, and knows only {@code [^a]} for negated classes, so {@code ?} and classes are widened
 * to {@code *} here: the server narrows the scan by everything literal, and the exact match is
 * {@link Glob#matches} on the client.
 */
public final class ScanPattern {

  private ScanPattern() {}

  /** A pattern that every key under {@code prefix} matching {@code glob} matches, and few others. */
  public static String widened(String prefix, Glob glob) {
    String pattern = glob.pattern();
    StringBuilder widened = new StringBuilder(Glob.escape(prefix));
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        widened.append(pattern, i, i + 2);
        i += 2;
      } else if (c == '*' || c == '?') {
        star(widened);
        i++;
      } else if (c == '[') {
        star(widened);
        i = endOfClass(pattern, i);
      } else {
        widened.append(c);
        i++;
      }
    }
    return widened.toString();
  }

  private static void star(StringBuilder pattern) {
    if (pattern.length() == 0 || pattern.charAt(pattern.length() - 1) != '*'
        || isEscaped(pattern, pattern.length() - 1)) {
      pattern.append('*');
    }
  }

  private static boolean isEscaped(StringBuilder pattern, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /** The index just past the {@code ]} closing the class that opens at {@code open}, as {@link Glob} reads it. */
  private static int endOfClass(String pattern, int open) {
    int i = open + 1;
    if (i < pattern.length() && (pattern.charAt(i) == '^' || pattern.charAt(i) == '!')) {
      i++;
    }
    boolean first = true;
    while (i < pattern.length() && (pattern.charAt(i) != ']' || first)) {
      i += pattern.charAt(i) == '\\' ? 2 : 1;
      first = false;
    }
    return i + 1;
  }
}
