package dev.hoard.servlet;

import java.util.ArrayList;
import java.util.List;

/** One header field line as the origin wrote it. */
record Header(String name, String value) {

  /** The value of the first line named {@code name} (case-insensitive), or {@code null}. */
  public static String first(List<Header> headers, String name) {
    for (Header header : headers) {
      if (header.name.equalsIgnoreCase(name)) {
        return header.value;
      }
    }
    return null;
  }

  /** The values of every line named {@code name}, in order. */
  public static List<String> all(List<Header> headers, String name) {
    List<String> values = new ArrayList<>(2);
    for (Header header : headers) {
      if (header.name.equalsIgnoreCase(name)) {
        values.add(header.value);
      }
    }
    return values;
  }

  /** Whether a line named {@code name} is present. */
  public static boolean contains(List<Header> headers, String name) {
    return first(headers, name) != null;
  }

  /** The comma-separated list elements of every line named {@code name}, trimmed. */
  public static List<String> elements(List<Header> headers, String name) {
    List<String> elements = new ArrayList<>();
    for (String value : all(headers, name)) {
      for (String element : value.split(",")) {
        if (!element.isBlank()) {
          elements.add(element.trim());
        }
      }
    }
    return elements;
  }
}
