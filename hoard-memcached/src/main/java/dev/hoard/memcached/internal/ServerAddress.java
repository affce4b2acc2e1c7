package dev.hoard.memcached.internal;

/** One memcached server: host name or address and port. */
public record ServerAddress(String host, int port) {

  /** The port memcached listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 11211;

  /**
   * Parses {@code host}, {@code host:port} or {@code [v6-address]:port}.
   *
   * @throws IllegalArgumentException naming the text when it is not a server address
   */
  public static ServerAddress parse(String text) {
    String trimmed = text.trim();
    String host = trimmed;
    String port = null;
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0) {
        throw bad(text);
      }
      host = trimmed.substring(1, close);
      String rest = trimmed.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(text);
        }
        port = rest.substring(1);
      }
    } else if (trimmed.indexOf(':') >= 0) {
      if (trimmed.indexOf(':') != trimmed.lastIndexOf(':')) {
        throw bad(text);
      }
      host = trimmed.substring(0, trimmed.indexOf(':'));
      port = trimmed.substring(trimmed.indexOf(':') + 1);
    }
    if (host.isEmpty()) {
      throw bad(text);
    }
    if (port == null) {
      return new ServerAddress(host, DEFAULT_PORT);
    }
    try {
      int number = Integer.parseInt(port);
      if (number < 1 || number > 65535) {
        throw new NumberFormatException();
      }
      return new ServerAddress(host, number);
    } catch (NumberFormatException e) {
      throw bad(text);
    }
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a memcached server address; write host:port, e.g. 127.0.0.1:11211"
            + " or [::1]:11211");
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
