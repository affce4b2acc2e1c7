package dev.hoard.redis.testing;

import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that starts a private Redis deployment on free loopback ports (see {@link
 * RedisServers}) and kills it, and every server the test started through {@link #servers()}, when
 * done. On a static field the deployment serves the whole class (and its nested classes); on an
 * instance field each test gets a fresh one, for tests that kill, freeze or restart it:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PrivateRedis redis = PrivateRedis.server();
 * }</pre>
 */
public final class PrivateRedis
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final Function<RedisServers, String> start;
  private RedisServers servers;
  private String url;
  private int port;
  /** Class contexts using the deployment: the class and its nested classes (static field). */
  private int classes;

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

  /** A cluster with replicas; a node marks an unreachable peer failed after {@code nodeTimeout}. */
  public static PrivateRedis cluster(int masters, int replicasPerMaster, Duration nodeTimeout) {
    return new PrivateRedis(
        servers -> servers.startCluster(masters, replicasPerMaster, nodeTimeout));
  }

  /** A master watched by one Sentinel. */
  public static PrivateRedis sentinel() {
    return new PrivateRedis(RedisServers::startSentinel);
  }

  /**
   * No server up front: the test starts what it needs through {@link #servers()} (a TLS server,
   * a replica, a server it kills before the first call) and the extension still kills it all.
   */
  public static PrivateRedis noServerYet() {
    return new PrivateRedis(servers -> null);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (classes++ == 0) {
      startDeployment();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (--classes == 0) {
      stopDeployment();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (classes == 0) {
      startDeployment();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (classes == 0) {
      stopDeployment();
    }
  }

  private void startDeployment() {
    servers = new RedisServers();
    url = start.apply(servers);
    if (url != null && url.startsWith("redis://")) {
      port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
  }

  private void stopDeployment() {
    if (servers != null) {
      servers.close();
      servers = null;
    }
  }

  /** The URL: {@code redis://}, {@code redis-cluster://} or {@code redis-sentinel://}. */
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
