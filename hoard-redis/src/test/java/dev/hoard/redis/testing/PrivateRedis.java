package dev.hoard.redis.testing;

import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts a private Redis deployment of this test class's own before its
 * tests and stops it after them, on free loopback ports (see {@link RedisServers}). Register it on
 * a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PrivateRedis redis = PrivateRedis.server();
 * }</pre>
 */
public final class PrivateRedis implements BeforeAllCallback, AfterAllCallback {

  private final Function<RedisServers, String> start;
  private RedisServers servers;
  private String url;
  private int port;

  private PrivateRedis(Function<RedisServers, String> start) {
    this.start = start;
  }

  /** One plain server, with extra config lines. */
  public static PrivateRedis server(String... config) {
    return new PrivateRedis(servers -> "redis://127.0.0.1:" + servers.startServer(config));
  }

  /** A cluster of {@code masters} masters and no replicas. */
  public static PrivateRedis cluster(int masters) {
    return new PrivateRedis(servers -> servers.startCluster(masters));
  }

  /** A master watched by one Sentinel. */
  public static PrivateRedis sentinel() {
    return new PrivateRedis(RedisServers::startSentinel);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    servers = new RedisServers();
    url = start.apply(servers);
    if (url.startsWith("redis://")) {
      port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (servers != null) {
      servers.close();
    }
  }

  /** The deployment's URL: {@code redis://}, {@code redis-cluster://} or {@code redis-sentinel://}. */
  public String url() {
    return url;
  }

  /** The port of a plain {@link #server}. */
  public int port() {
    return port;
  }

  /** Runs {@code redis-cli} on a plain {@link #server} and returns what it printed. */
  public String cli(String... args) {
    return servers.cli(port, args);
  }

  /** The processes, to kill, restart or start more servers. */
  public RedisServers servers() {
    return servers;
  }
}
