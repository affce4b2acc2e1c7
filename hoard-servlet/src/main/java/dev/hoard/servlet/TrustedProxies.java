package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which direct peers are your own reverse proxies, and so whose forwarding header says who the
 * client is. A header from any other peer is ignored: a client can write anything into it.
 *
 * <p>The client is the right-most hop in the header that is not a trusted proxy, since each proxy
 * appends the peer it saw and only the hops your proxies appended can be believed. Exactly one
 * header is read, {@code X-Forwarded-For} unless {@link #readingForwarded()} chooses RFC 7239's
 * {@code Forwarded}: reading both would let a client forge the one your proxies do not write.
 * Immutable.
 */
public final class TrustedProxies {

  private static final TrustedProxies NONE = new TrustedProxies(List.of(), false);

  private final List<AddressRange> ranges;
  private final boolean forwarded;

  private TrustedProxies(List<AddressRange> ranges, boolean forwarded) {
    this.ranges = ranges;
    this.forwarded = forwarded;
  }

  /** No proxy is trusted: the client is always the direct peer. */
  public static TrustedProxies none() {
    return NONE;
  }

  /**
   * Trusts peers in these addresses or CIDR ranges, e.g. {@code "10.0.0.0/8", "::1"}.
   *
   * @throws IllegalArgumentException naming an entry that is not an address or range
   */
  public static TrustedProxies of(String... addressesOrRanges) {
    List<AddressRange> ranges = new ArrayList<>();
    for (String entry : addressesOrRanges) {
      ranges.add(AddressRange.parse(Objects.requireNonNull(entry, "address or range")));
    }
    return new TrustedProxies(List.copyOf(ranges), false);
  }

  /** The same proxies, read from {@code Forwarded: for=…} instead of {@code X-Forwarded-For}. */
  public TrustedProxies readingForwarded() {
    return new TrustedProxies(ranges, true);
  }

  /**
   * The client's address: the direct peer, or when that is a trusted proxy, the right-most
   * untrusted hop of the forwarding header (the left-most hop when all are trusted). Addresses come
   * back in the JDK's canonical text form, so one client always gets the same key.
   */
  public String clientAddress(HttpServletRequest request) {
    String peer = canonical(request.getRemoteAddr());
    if (ranges.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    List<String> hops = forwarded ? forwardedHops(request) : forwardedForHops(request);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = canonical(hops.get(i));
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return hops.isEmpty() ? peer : canonical(hops.get(0));
  }

  /**
   * Whether the client reached you over HTTPS: the request itself is secure, or the direct peer is
   * a trusted proxy whose forwarding header says {@code https} ({@code X-Forwarded-Proto}, or
   * {@code proto=} of {@code Forwarded} when {@linkplain #readingForwarded() reading that}). The
   * right-most value counts, the one the proxy nearest to you wrote. From any other peer the
   * header is ignored.
   */
  public boolean isSecure(HttpServletRequest request) {
    if (request.isSecure()) {
      return true;
    }
    if (ranges.isEmpty() || !isTrusted(canonical(request.getRemoteAddr()))) {
      return false;
    }
    String proto = null;
    if (forwarded) {
      for (String header : Collections.list(request.getHeaders("Forwarded"))) {
        for (String element : splitOutsideQuotes(header, ',')) {
          String value = parameter(element, "proto");
          if (value != null) {
            proto = value;
          }
        }
      }
    } else {
      for (String header : Collections.list(request.getHeaders("X-Forwarded-Proto"))) {
        for (String value : header.split(",")) {
          if (!value.isBlank()) {
            proto = value.trim();
          }
        }
      }
    }
    return "https".equalsIgnoreCase(proto);
  }

  private boolean isTrusted(String address) {
    InetAddress parsed = IpAddresses.parse(address);
    if (parsed == null) {
      return false;
    }
    for (AddressRange range : ranges) {
      if (range.contains(parsed)) {
        return true;
      }
    }
    return false;
  }

  private static String canonical(String address) {
    InetAddress parsed = IpAddresses.parse(address);
    return parsed == null ? address.trim() : parsed.getHostAddress();
  }

  private static List<String> forwardedForHops(HttpServletRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
      for (String hop : header.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    return hops;
  }

  /** The {@code for=} of every element of every {@code Forwarded} header, in order. */
  private static List<String> forwardedHops(HttpServletRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : Collections.list(request.getHeaders("Forwarded"))) {
      for (String element : splitOutsideQuotes(header, ',')) {
        String hop = parameter(element, "for");
        if (hop != null) {
          hops.add(hop);
        }
      }
    }
    return hops;
  }

  /** The value of {@code name=} in one {@code Forwarded} element, unquoted, or null. */
  private static String parameter(String element, String name) {
    for (String pair : splitOutsideQuotes(element, ';')) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals(name)) {
        String value = pair.substring(equals + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  private static List<String> splitOutsideQuotes(String text, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  @Override
  public String toString() {
    return ranges.isEmpty() ? "no trusted proxies"
        : "trusted proxies " + ranges + (forwarded ? " (Forwarded)" : " (X-Forwarded-For)");
  }
}
