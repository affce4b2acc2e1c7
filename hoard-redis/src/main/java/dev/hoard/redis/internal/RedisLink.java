package dev.hoard.redis.internal;

import dev.hoard.cache.CacheException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One open, multiplexed Lettuce connection to a {@link RedisTarget}, with binary keys and values.
 * Every Redis-backed part of Hoard (cache store, session store, invalidation bus) opens its
 * connection here so that timeouts, TLS, authentication, reconnect and Cluster topology refresh
 * behave the same everywhere.
 *
 * <p>While the connection is down, commands fail at once rather than queue: callers are caches
 * that would rather miss (or fall back) than wait for a reconnect. Lettuce reconnects by itself.
 */
public final class RedisLink implements AutoCloseable {

  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  private final RedisTarget target;
  private final String where;
  private final Duration timeout;
  private final boolean ownsClient;
  private final AbstractRedisClient client;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final List<StatefulRedisPubSubConnection<byte[], byte[]>> pubSubConnections =
      new ArrayList<>();
  private final List<RedisConnectionStateListener> listeners = new ArrayList<>();
  private boolean closed;

  private RedisLink(
      RedisTarget target, AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
      RedisClusterAsyncCommands<byte[], byte[]> commands) {
    this(target, target.toString(), target.timeout(), true, client, connection, commands);
  }

  private RedisLink(
      RedisTarget target, String where, Duration timeout, boolean ownsClient,
      AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection,
      RedisClusterAsyncCommands<byte[], byte[]> commands) {
    this.target = target;
    this.where = where;
    this.timeout = timeout;
    this.ownsClient = ownsClient;
    this.client = client;
    this.connection = connection;
    this.commands = commands;
  }

  /**
   * Connects, failing fast when the deployment cannot be reached.
   *
   * @throws CacheException naming the target (without its password) when connecting fails
   */
  public static RedisLink open(RedisTarget target) {
    ClientResources resources = SharedClientResources.acquire();
    AbstractRedisClient client = null;
    try {
      ClientOptions options = clientOptions(target);
      if (target.topology() == RedisTarget.Topology.CLUSTER) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, target.uris());
        client = cluster;
        // Lettuce 7 refreshes on MOVED/ASK and reconnects by itself; the periodic refresh also
        // notices nodes added or failed over while no command was redirected.
        cluster.setOptions(ClusterClientOptions.builder(options)
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                .build())
            .build());
        StatefulRedisClusterConnection<byte[], byte[]> connection =
            cluster.connect(ByteArrayCodec.INSTANCE);
        return new RedisLink(target, cluster, connection, connection.async());
      }
      RedisClient standalone = RedisClient.create(resources);
      client = standalone;
      standalone.setOptions(options);
      StatefulRedisConnection<byte[], byte[]> connection =
          standalone.connect(ByteArrayCodec.INSTANCE, target.uris().get(0));
      return new RedisLink(target, standalone, connection, connection.async());
    } catch (RuntimeException e) {
      if (client != null) {
        client.shutdown(0, target.timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      SharedClientResources.release();
      throw new CacheException(
          "cannot connect to Redis at " + target + ": " + RedisErrors.reason(e)
              + "; check that the server is running and the URL, credentials and TLS settings"
              + " are right",
          e);
    }
  }

  /**
   * Connects on a client the application created, configured and keeps: the client's own options
   * and URI apply, {@code timeout} bounds each wait for a reply, and closing the link closes only
   * its connections, never the client.
   *
   * @throws CacheException when connecting fails
   */
  public static RedisLink on(RedisClient client, Duration timeout) {
    try {
      StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
      return new RedisLink(null, "(application's RedisClient)", timeout, false, client, connection,
          connection.async());
    } catch (RuntimeException e) {
      throw cannotConnect("the application's RedisClient", e);
    }
  }

  /** As {@link #on(RedisClient, Duration)}, on the application's Cluster client. */
  public static RedisLink on(RedisClusterClient client, Duration timeout) {
    try {
      StatefulRedisClusterConnection<byte[], byte[]> connection =
          client.connect(ByteArrayCodec.INSTANCE);
      return new RedisLink(null, "(application's RedisClusterClient)", timeout, false, client,
          connection, connection.async());
    } catch (RuntimeException e) {
      throw cannotConnect("the application's RedisClusterClient", e);
    }
  }

  private static CacheException cannotConnect(String what, RuntimeException e) {
    return new CacheException("cannot connect to Redis with " + what + ": " + RedisErrors.reason(e)
        + "; check that the server is running and that the client was created with its URI", e);
  }

  private static ClientOptions clientOptions(RedisTarget target) {
    ClientOptions.Builder options = ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(target.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(target.timeout()).build());
    target.caCertificates().ifPresent(pem -> options.sslOptions(
        SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
    return options.build();
  }

  /** The target this link is connected to; {@code null} on an application's client. */
  public RedisTarget target() {
    return target;
  }

  /** How long a caller waits for a reply before it gives up. */
  public Duration timeout() {
    return timeout;
  }

  /** Where this link goes, for descriptions and messages, never with a password. */
  @Override
  public String toString() {
    return where;
  }

  /**
   * The commands, shared by every thread. On a Cluster, multi-key commands ({@code MGET},
   * {@code UNLINK}) are split per hash slot and {@code SCAN} walks every master.
   */
  public RedisClusterAsyncCommands<byte[], byte[]> commands() {
    return commands;
  }

  /**
   * Opens a second connection on this link's client for pub/sub (a subscribed connection runs no
   * other commands); it is closed with the link. Lettuce reconnects it by itself and subscribes
   * its channels again, which {@code listener} hears as {@link RedisPubSubListener#subscribed}.
   * {@code disconnected} runs each time the connection drops, before any reconnect.
   */
  public synchronized StatefulRedisPubSubConnection<byte[], byte[]> openPubSub(
      RedisPubSubListener<byte[], byte[]> listener, Runnable disconnected) {
    if (closed) {
      throw new IllegalStateException("the Redis link to " + where + " is closed");
    }
    StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    try {
      pubSub = client instanceof RedisClusterClient cluster
          ? cluster.connectPubSub(ByteArrayCodec.INSTANCE)
          : target == null
              ? ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE)
              : ((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE, target.uris().get(0));
    } catch (RuntimeException e) {
      throw new CacheException(
          "cannot open a pub/sub connection to Redis at " + where + ": " + RedisErrors.reason(e),
          e);
    }
    pubSub.addListener(listener);
    RedisConnectionStateListener watch = new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == pubSub) {
          disconnected.run();
        }
      }
    };
    client.addListener(watch);
    // An application's client outlives the link: it must not keep the link's listeners.
    listeners.add(watch);
    pubSubConnections.add(pubSub);
    return pubSub;
  }

  /** Closes a connection {@link #openPubSub} opened, before the link closes. */
  public synchronized void closePubSub(StatefulRedisPubSubConnection<byte[], byte[]> pubSub) {
    if (pubSubConnections.remove(pubSub)) {
      pubSub.close();
    }
  }

  /**
   * Closes the connections and, unless the application owns it, shuts the client down; safe to
   * call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      pubSubConnections.forEach(StatefulConnection::close);
      connection.close();
    } finally {
      if (ownsClient) {
        client.shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        SharedClientResources.release();
      } else {
        listeners.forEach(client::removeListener);
      }
    }
  }
}
