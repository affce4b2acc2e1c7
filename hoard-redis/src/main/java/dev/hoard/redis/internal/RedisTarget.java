package dev.hoard.redis.internal;

import dev.hoard.cache.spi.StoreUrl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how to reach a Redis deployment, read from a store URL: standalone ({@code redis://},
 * {@code rediss://}), Sentinel ({@code redis-sentinel://h1:26379,h2:26379/mymaster}) or Cluster
 * ({@code redis-cluster://h1:7000,h2:7001}), with credentials, TLS, database and command timeout.
 *
 * <p>Reading a target consumes the connection parameters it knows ({@code timeout}, {@code db},
 * {@code cacert}, {@code verifyPeer}, {@code replicas}) and leaves the rest for the caller, so the cache store, the
 * session store and the invalidation bus all accept the same connection syntax.
 */
public final class RedisTarget {

  /** Command timeout when the URL gives none. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** The URL schemes a target can be read from. */
  public static final List<String> SCHEMES =
      List.of("redis", "rediss", "redis-sentinel", "redis-cluster");

  /** The three ways Redis can be deployed. */
  public enum Topology { STANDALONE, SENTINEL, CLUSTER }

  private final Topology topology;
  private final List<RedisURI> uris;
  private final Duration timeout;
  private final Path caCertificates;
  private final int replicas;
  private final String name;

  private RedisTarget(
      Topology topology, List<RedisURI> uris, Duration timeout, Path caCertificates, int replicas,
      String name) {
    this.topology = topology;
    this.uris = List.copyOf(uris);
    this.timeout = timeout;
    this.caCertificates = caCertificates;
    this.replicas = replicas;
    this.name = name;
  }

  /**
   * Reads the target from {@code url}, consuming its connection parameters.
   *
   * @throws IllegalArgumentException naming the bad part of the URL
   */
  public static RedisTarget from(StoreUrl url) {
    Duration timeout = url.takeDuration("timeout").orElse(DEFAULT_TIMEOUT);
    Path caCertificates = url.take("cacert").map(file -> readableFile(file, url)).orElse(null);
    Optional<SslVerifyMode> verifyPeer = url.take("verifyPeer").map(mode -> verifyMode(mode, url));
    int replicas = url.takeLong("replicas").map(count -> replicas(count, url)).orElse(0);
    List<RedisURI> uris = new ArrayList<>();
    Topology topology;
    switch (url.scheme()) {
      case "redis", "rediss" -> {
        topology = Topology.STANDALONE;
        if (url.hosts().size() != 1) {
          throw new IllegalArgumentException(
              "a " + url.scheme() + ":// URL names exactly one host, not " + url.hosts().size()
                  + " in " + url + "; use redis-sentinel:// or redis-cluster:// for several");
        }
        if (url.parameters().containsKey("db")) {
          throw new IllegalArgumentException(
              "give the database as the path (" + url.scheme() + "://host:6379/2), not as db= in "
                  + url);
        }
        HostPort node = HostPort.parse(url.hosts().get(0), 6379, url);
        RedisURI.Builder builder = RedisURI.Builder.redis(node.host(), node.port())
            .withDatabase(database(url.path(), url))
            .withSsl(url.scheme().equals("rediss"));
        uris.add(credentials(builder, url).withTimeout(timeout).build());
      }
      case "redis-sentinel" -> {
        topology = Topology.SENTINEL;
        String master = url.path().startsWith("/") ? url.path().substring(1) : url.path();
        if (master.isEmpty() || master.contains("/")) {
          throw new IllegalArgumentException(
              "a redis-sentinel:// URL names the master as its path, e.g. "
                  + "redis-sentinel://h1:26379,h2:26379/mymaster?db=0; got '" + url.path() + "' in "
                  + url);
        }
        List<HostPort> sentinels = nodes(url, 26379);
        RedisURI.Builder builder = RedisURI.Builder
            .sentinel(sentinels.get(0).host(), sentinels.get(0).port(), master);
        for (HostPort sentinel : sentinels.subList(1, sentinels.size())) {
          builder.withSentinel(sentinel.host(), sentinel.port());
        }
        int db = url.take("db").map(value -> database(value, url)).orElse(0);
        uris.add(credentials(builder.withDatabase(db), url).withTimeout(timeout).build());
      }
      case "redis-cluster" -> {
        topology = Topology.CLUSTER;
        if (!url.path().isEmpty() && !url.path().equals("/")) {
          throw new IllegalArgumentException(
              "a redis-cluster:// URL has no path (Redis Cluster has only database 0); got '"
                  + url.path() + "' in " + url);
        }
        if (url.take("db").filter(db -> !db.equals("0")).isPresent()) {
          throw new IllegalArgumentException(
              "Redis Cluster has only database 0; remove db= from " + url);
        }
        for (HostPort node : nodes(url, 6379)) {
          uris.add(credentials(RedisURI.Builder.redis(node.host(), node.port()), url)
              .withTimeout(timeout).build());
        }
      }
      default -> throw new IllegalArgumentException(
          "not a Redis URL: " + url + "; expected one of " + SCHEMES);
    }
    if (topology != Topology.STANDALONE || !url.scheme().equals("rediss")) {
      if (caCertificates != null || verifyPeer.isPresent()) {
        throw new IllegalArgumentException(
            "cacert and verifyPeer apply to TLS, which this URL does not use (write rediss://): "
                + url);
      }
    }
    verifyPeer.ifPresent(mode -> uris.forEach(uri -> uri.setVerifyPeer(mode)));
    return new RedisTarget(topology, uris, timeout, caCertificates, replicas, url.toString());
  }

  private static RedisURI.Builder credentials(RedisURI.Builder builder, StoreUrl url) {
    Optional<String> password = url.password();
    if (password.isPresent()) {
      Optional<String> user = url.user();
      if (user.isPresent()) {
        builder.withAuthentication(user.get(), password.get());
      } else {
        builder.withPassword(password.get().toCharArray());
      }
    } else if (url.user().isPresent()) {
      throw new IllegalArgumentException(
          "a user name needs a password (redis://user:password@host) in " + url);
    }
    return builder;
  }

  private static List<HostPort> nodes(StoreUrl url, int defaultPort) {
    if (url.hosts().isEmpty()) {
      throw new IllegalArgumentException(
          "a " + url.scheme() + ":// URL names at least one host:port, e.g. " + url.scheme()
              + "://h1:" + defaultPort + ",h2:" + defaultPort + "; got none in " + url);
    }
    List<HostPort> nodes = new ArrayList<>();
    for (String host : url.hosts()) {
      nodes.add(HostPort.parse(host, defaultPort, url));
    }
    return nodes;
  }

  private static int database(String path, StoreUrl url) {
    String db = path.startsWith("/") ? path.substring(1) : path;
    if (db.isEmpty()) {
      return 0;
    }
    try {
      int number = Integer.parseInt(db);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below with the URL
    }
    throw new IllegalArgumentException(
        "the database must be a number such as 0 or 2, was '" + db + "' in " + url);
  }

  private static int replicas(long count, StoreUrl url) {
    if (count < 0 || count > 100) {
      throw new IllegalArgumentException(
          "parameter 'replicas' is the number of replicas that must acknowledge each write, from 0"
              + " (do not wait, the default) to the number of replicas of a master; was " + count
              + " in " + url);
    }
    return (int) count;
  }

  private static SslVerifyMode verifyMode(String mode, StoreUrl url) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "full", "true" -> SslVerifyMode.FULL;
      case "ca" -> SslVerifyMode.CA;
      case "none", "false" -> SslVerifyMode.NONE;
      default -> throw new IllegalArgumentException(
          "parameter 'verifyPeer' must be full (certificate and host name), ca (certificate only) "
              + "or none, was '" + mode + "' in " + url);
    };
  }

  private static Path readableFile(String file, StoreUrl url) {
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(
          "parameter 'cacert' must name a readable PEM file, but '" + file
              + "' cannot be read, in " + url);
    }
    return path;
  }

  /** Standalone, Sentinel or Cluster. */
  public Topology topology() {
    return topology;
  }

  /** The Lettuce URIs: one for standalone and Sentinel, the seed nodes for Cluster. */
  public List<RedisURI> uris() {
    return uris;
  }

  /** How long a command may take before it fails. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How many replicas must acknowledge each write ({@code WAIT}) before it counts as done; 0, the
   * default, waits for none.
   */
  public int replicas() {
    return replicas;
  }

  /** A PEM file of certificates to trust for TLS instead of the JVM's trust store, if given. */
  public Optional<Path> caCertificates() {
    return Optional.ofNullable(caCertificates);
  }

  /** The URL without its password, for messages and descriptions. */
  @Override
  public String toString() {
    return name;
  }

  private record HostPort(String host, int port) {
    static HostPort parse(String text, int defaultPort, StoreUrl url) {
      String host = text;
      String port = null;
      if (text.startsWith("[")) {
        int close = text.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("unclosed [ in host '" + text + "' in " + url);
        }
        host = text.substring(1, close);
        if (text.length() > close + 1) {
          if (text.charAt(close + 1) != ':') {
            throw new IllegalArgumentException("bad host '" + text + "' in " + url);
          }
          port = text.substring(close + 2);
        }
      } else if (text.indexOf(':') >= 0) {
        host = text.substring(0, text.indexOf(':'));
        port = text.substring(text.indexOf(':') + 1);
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("empty host name in '" + text + "' in " + url);
      }
      if (port == null) {
        return new HostPort(host, defaultPort);
      }
      try {
        int number = Integer.parseInt(port);
        if (number > 0 && number < 65536) {
          return new HostPort(host, number);
        }
      } catch (NumberFormatException e) {
        // reported below with the URL
      }
      throw new IllegalArgumentException(
          "port must be a number from 1 to 65535, was '" + port + "' in " + url);
    }
  }
}
