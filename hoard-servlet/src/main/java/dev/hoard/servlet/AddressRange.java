package dev.hoard.servlet;

import java.net.InetAddress;

/** An address or a CIDR block such as {@code 10.0.0.0/8} or {@code fd00::/8}. Immutable. */
final class AddressRange {

  private final byte[] network;
  private final int prefixBits;
  private final String text;

  private AddressRange(byte[] network, int prefixBits, String text) {
    this.network = network;
    this.prefixBits = prefixBits;
    this.text = text;
  }

  /**
   * Parses {@code address} or {@code address/bits}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  public static AddressRange parse(String text) {
    int slash = text.indexOf('/');
    InetAddress address = IpAddresses.parse(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8"
              + " (host names are not accepted)");
    }
    byte[] bytes = address.getAddress();
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > bytes.length * 8) {
        throw new IllegalArgumentException(
            "'" + text + "' has a bad prefix length; it must be 0 to " + bytes.length * 8);
      }
    }
    return new AddressRange(bytes, bits, text);
  }

  /** Whether {@code address} lies in this range; IPv4 and IPv6 ranges never match each other. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int fullBytes = prefixBits / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
