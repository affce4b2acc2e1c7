package dev.hoard.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals, never host names: a header value must not make the filter ask DNS.
 */
final class IpAddresses {

  private IpAddresses() {}

  /**
   * The address of an IPv4 or IPv6 literal (brackets, a port and an IPv6 zone are allowed), or
   * {@code null} when the text is not one.
   */
  public static InetAddress parse(String text) {
    String literal = withoutPort(text.trim());
    int zone = literal.indexOf('%');
    if (zone >= 0) {
      literal = literal.substring(0, zone);
    }
    try {
      if (literal.indexOf(':') >= 0) {
        // Brackets make the JDK parse an IPv6 literal or fail; without them a bad literal that
        // starts with a hex digit would go to DNS.
        return InetAddress.getByName("[" + literal + "]");
      }
      return isIpv4(literal) ? InetAddress.getByName(literal) : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The literal without {@code [..]} and without a {@code :port}. */
  private static String withoutPort(String text) {
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      return close < 0 ? text.substring(1) : text.substring(1, close);
    }
    int colon = text.indexOf(':');
    // One colon is IPv4 with a port; several are a bare IPv6 address.
    return colon >= 0 && colon == text.lastIndexOf(':') ? text.substring(0, colon) : text;
  }

  private static boolean isIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
