package dev.hoard.cache.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed store URL such as {@code redis://:pw@host:6379/0?prefix=app:} or {@code
 * memcached://h1:11211,h2:11211}; unlike {@link java.net.URI} it accepts several hosts.
 *
 * <p>Parameters are consumed with {@link #take}; whatever nobody took is reported by {@link
 * #rejectUnknownParameters()} so that a misspelt option fails loudly instead of being ignored.
 * {@link #toString()} never shows the password.
 */
public final class StoreUrl {

  private final String raw;
  private final String scheme;
  private final String userInfo;
  private final String authority;
  private final String path;
  private final Map<String, String> parameters;
  private final Map<String, String> rawParameters;
  private final Map<String, String> untaken;
  private ReservedKeySpace keySpace = ReservedKeySpace.CACHE;

  private StoreUrl(
      String raw, String scheme, String userInfo, String authority, String path,
      Map<String, String> rawParameters) {
    this.raw = raw;
    this.scheme = scheme;
    this.userInfo = userInfo;
    this.authority = authority;
    this.path = path;
    this.rawParameters = rawParameters;
    Map<String, String> decoded = new LinkedHashMap<>();
    rawParameters.forEach((name, pair) ->
        decoded.put(name, decode(pair.substring(pair.indexOf('=') + 1))));
    this.parameters = Collections.unmodifiableMap(decoded);
    this.untaken = new LinkedHashMap<>(decoded);
  }

  /**
   * Parses {@code scheme://[user[:password]@]authority[/path][?k=v&...]}, {@code scheme:path} and
   * {@code jdbc:sub:...} (whose scheme is {@code jdbc}).
   *
   * @throws IllegalArgumentException if the URL has no scheme or a malformed query
   */
  public static StoreUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    int colon = url.indexOf(':');
    if (colon <= 0 || !url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      throw new IllegalArgumentException(
          "store URL has no scheme: '" + url + "'; expected e.g. memory:// or file:///path");
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = url.substring(colon + 1);
    String query = null;
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    String userInfo = null;
    String authority = "";
    String path;
    if (rest.startsWith("//")) {
      String hierarchy = rest.substring(2);
      int slash = hierarchy.indexOf('/');
      authority = slash >= 0 ? hierarchy.substring(0, slash) : hierarchy;
      path = slash >= 0 ? hierarchy.substring(slash) : "";
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        userInfo = authority.substring(0, at);
        authority = authority.substring(at + 1);
      }
    } else {
      path = rest;
    }
    return new StoreUrl(url, scheme, userInfo, authority, decode(path), parseQuery(url, query));
  }

  /** Parameters by decoded name, each mapped to its {@code name=value} pair exactly as written. */
  private static Map<String, String> parseQuery(String url, String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "malformed parameter '" + pair + "' in store URL " + redact(url)
                + "; expected name=value");
      }
      parameters.put(decode(pair.substring(0, equals)), pair);
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String redact(String url) {
    // Greedy up to the last @ of the authority, as parse() reads it, so an @ inside a password
    // cannot leave the rest of it visible. JDBC URLs carry passwords as parameters too:
    // ?password=, &sslpassword=, ;PASSWORD= (H2). Session URLs carry keys: ?keys=,
    // &encryptionKeys=.
    return url.replaceFirst("//([^/@:?#]*):[^/?#]*@", "//$1:****@")
        .replaceAll("(?i)([?&;][^=&;?]*password[^=&;?]*=)[^&;]*", "$1****")
        .replaceAll("(?i)([?&;](?:[^=&;?]*keys|[^=&;?]*secret[^=&;?]*)=)[^&;]*", "$1****");
  }

  /** The scheme, lower case: {@code memory}, {@code redis}, {@code jdbc}… */
  public String scheme() {
    return scheme;
  }

  /** Everything after {@code scheme:} and before {@code ?}, for stores with their own syntax. */
  public String schemeSpecificPart() {
    String rest = raw.substring(raw.indexOf(':') + 1);
    int question = rest.indexOf('?');
    return question >= 0 ? rest.substring(0, question) : rest;
  }

  /** The user name from {@code user:password@}, if any. */
  public Optional<String> user() {
    if (userInfo == null) {
      return Optional.empty();
    }
    int colon = userInfo.indexOf(':');
    String user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
    return user.isEmpty() ? Optional.empty() : Optional.of(user);
  }

  /** The password from {@code user:password@}, if any. */
  public Optional<String> password() {
    if (userInfo == null || userInfo.indexOf(':') < 0) {
      return Optional.empty();
    }
    return Optional.of(decode(userInfo.substring(userInfo.indexOf(':') + 1)));
  }

  /** The hosts of the authority, each {@code host[:port]}; several are separated by commas. */
  public List<String> hosts() {
    List<String> hosts = new ArrayList<>();
    for (String host : authority.split(",")) {
      if (!host.isBlank()) {
        hosts.add(host.trim());
      }
    }
    return hosts;
  }

  /** The decoded path, possibly empty; for {@code file:///var/cache} it is {@code /var/cache}. */
  public String path() {
    return path;
  }

  /**
   * The key space the store is opened for, which decides its default prefix ({@link
   * ReservedKeySpace#prefixIn}); {@link ReservedKeySpace#CACHE} unless the opener said otherwise.
   */
  public ReservedKeySpace keySpace() {
    return keySpace;
  }

  /** Says which key space the store is opened for, before a provider opens it; returns this. */
  public StoreUrl forKeySpace(ReservedKeySpace space) {
    this.keySpace = Objects.requireNonNull(space, "space");
    return this;
  }

  /** All query parameters as given, taken or not. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** Consumes a parameter. */
  public Optional<String> take(String name) {
    untaken.remove(name);
    return Optional.ofNullable(parameters.get(name));
  }

  /** Consumes a parameter that must be a positive whole number. */
  public Optional<Long> takeLong(String name) {
    return take(name).map(value -> {
      try {
        long parsed = Long.parseLong(value.replace("_", ""));
        if (parsed <= 0) {
          throw new NumberFormatException();
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' must be a positive whole number, was '" + value + "' in "
                + this);
      }
    });
  }

  /** Consumes a parameter that must be a duration such as {@code 30s}, {@code 5m} or {@code PT1H}. */
  public Optional<Duration> takeDuration(String name) {
    return take(name).map(value -> {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' " + e.getMessage() + " in " + this, e);
      }
    });
  }

  /** Consumes a parameter that must be {@code true} or {@code false}. */
  public Optional<Boolean> takeBoolean(String name) {
    return take(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(
          "parameter '" + name + "' must be true or false, was '" + value + "' in " + this);
    });
  }

  /**
   * Consumes every parameter nobody has taken yet and returns each as written ({@code name=value},
   * still percent-encoded, in URL order), for stores that hand the rest of a URL to a driver.
   */
  public List<String> takeRemaining() {
    List<String> remaining = new ArrayList<>();
    for (String name : untaken.keySet()) {
      remaining.add(rawParameters.get(name));
    }
    untaken.clear();
    return remaining;
  }

  /**
   * Fails if a parameter was given that nobody consumed.
   *
   * @throws IllegalArgumentException naming the unknown parameters
   */
  public void rejectUnknownParameters() {
    if (!untaken.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown parameter" + (untaken.size() > 1 ? "s " : " ") + untaken.keySet()
              + " in store URL " + this);
    }
  }

  /** The URL with any password, secret or key replaced by {@code ****}. */
  @Override
  public String toString() {
    return redact(raw);
  }
}
