package dev.hoard.servlet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of one or more {@code Cache-Control} field lines (RFC 9111 §5.2), names folded to
 * lower case. Unknown directives are kept and ignored; the first occurrence of a directive wins.
 */
final class CacheControl {

  /** The largest delta-seconds value RFC 9111 §1.2.2 asks a cache to keep (2^31). */
  static final long MAX_DELTA_SECONDS = 2_147_483_648L;

  private static final CacheControl EMPTY = new CacheControl(Map.of());

  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  /** Parses the given field values; {@code null} or none give no directives. */
  public static CacheControl parse(Iterable<String> values) {
    if (values == null) {
      return EMPTY;
    }
    Map<String, String> directives = new LinkedHashMap<>();
    for (String value : values) {
      if (value != null) {
        parseInto(value, directives);
      }
    }
    return directives.isEmpty() ? EMPTY : new CacheControl(directives);
  }

  /** Parses the field lines of a request header. */
  public static CacheControl parse(Enumeration<String> values) {
    return values == null ? EMPTY : parse(Collections.list(values));
  }

  private static void parseInto(String value, Map<String, String> into) {
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',') {
        i++;
      }
      String name = value.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
      String argument = null;
      if (i < n && value.charAt(i) == '=') {
        i++;
        while (i < n && value.charAt(i) == ' ') {
          i++;
        }
        if (i < n && value.charAt(i) == '"') {
          StringBuilder quoted = new StringBuilder();
          i++;
          while (i < n && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            quoted.append(value.charAt(i++));
          }
          i++;
          argument = quoted.toString();
          while (i < n && value.charAt(i) != ',') {
            i++;
          }
        } else {
          int argumentStart = i;
          while (i < n && value.charAt(i) != ',') {
            i++;
          }
          argument = value.substring(argumentStart, i).trim();
        }
      }
      if (!name.isEmpty()) {
        into.putIfAbsent(name, argument);
      }
    }
  }

  /** Whether there are no directives at all. */
  public boolean isEmpty() {
    return directives.isEmpty();
  }

  /** Whether the directive is present, with or without an argument. */
  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /** Whether the directive is present without an argument (e.g. {@code private}, not {@code private="x"}). */
  public boolean hasBare(String directive) {
    return directives.containsKey(directive) && directives.get(directive) == null;
  }

  /**
   * The delta-seconds argument of a directive, -1 when the directive is absent. A malformed
   * argument reads as 0, the most cautious reading (RFC 9111 §4.2.1: such a response is stale).
   */
  public long seconds(String directive) {
    if (!directives.containsKey(directive)) {
      return -1;
    }
    String argument = directives.get(directive);
    if (argument == null || argument.isEmpty()) {
      return 0;
    }
    for (int i = 0; i < argument.length(); i++) {
      if (argument.charAt(i) < '0' || argument.charAt(i) > '9') {
        return 0;
      }
    }
    return argument.length() > 10 ? MAX_DELTA_SECONDS
        : Math.min(Long.parseLong(argument), MAX_DELTA_SECONDS);
  }

  /** The field names listed in a qualified directive such as {@code no-cache="Set-Cookie"}. */
  public List<String> fieldNames(String directive) {
    String argument = directives.get(directive);
    if (argument == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String name : argument.split(",")) {
      if (!name.isBlank()) {
        names.add(name.trim());
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return directives.toString();
  }
}
