package dev.hoard.redis.internal;

import dev.hoard.cache.CacheException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisCommandExecutionException;
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
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletionStage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  /**
   * The shortest time between two topology refreshes a failure asks for, Lettuce's adaptive
   * triggers included. Short, so that a refresh that ran before the cluster promoted a replica is
   * followed by one that sees the promotion about a second later (Lettuce's default is 5 s).
   */
  private static final Duration FAILURE_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /**
   * How much longer connecting may take than the handshake. A Cluster topology refresh gives up
   * on a node after the connect timeout, and when that node's handshake succeeds later anyway
   * Lettuce (7.6) closes the connection synchronously on its own event loop, which then waits for
   * itself forever, taking every connection on that loop with it. This happens to a node that was
   * frozen and resumes, or on a busy machine. With the connect timeout above the handshake's own
   * timeout (the command timeout), the handshake has always failed or succeeded first.
   */
  private static final Duration CONNECT_MARGIN = Duration.ofSeconds(1);

  /** Reconnect attempts to one node before Lettuce refreshes the topology by itself. */
  private static final int RECONNECTS_BEFORE_REFRESH = 2;

  private final RedisTarget target;
  private final String where;
  private final Duration timeout;
  private final boolean ownsClient;
  private final AbstractRedisClient client;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final List<StatefulRedisPubSubConnection<byte[], byte[]>> pubSubConnections =
      new ArrayList<>();
  private final List<RedisConnectionStateListener> listeners = new ArrayList<>();
  private final List<Runnable> firstConnection = new ArrayList<>();
  private volatile StatefulConnection<byte[], byte[]> connection;
  private volatile RedisClusterAsyncCommands<byte[], byte[]> live;
  private volatile String notConnectedReason;
  private final AtomicLong lastFailureRefresh = new AtomicLong(System.nanoTime()
      - FAILURE_REFRESH_INTERVAL.toNanos());
  private boolean closed;

  private RedisLink(
      RedisTarget target, AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection) {
    this(target, target.toString(), target.timeout(), true, client, connection);
  }

  private RedisLink(
      RedisTarget target, String where, Duration timeout, boolean ownsClient,
      AbstractRedisClient client, StatefulConnection<byte[], byte[]> connection) {
    this.target = target;
    this.where = where;
    this.timeout = timeout;
    this.ownsClient = ownsClient;
    this.client = client;
    if (connection != null) {
      this.connection = connection;
      this.live = commandsOf(connection);
      this.commands = live;
    } else {
      // Until the background connection is up there are no commands to hand out: a proxy stands
      // in, failing each command at once, then forwarding to the connection's.
      this.commands = forwarding();
    }
  }

  /**
   * Connects, failing fast when the deployment cannot be reached.
   *
   * @throws CacheException naming the target (without its password) when connecting fails
   */
  public static RedisLink open(RedisTarget target) {
    return open(target, false);
  }

  /**
   * Connects like {@link #open}, but when the deployment cannot be reached yet returns a link that
   * keeps trying in the background (every reconnect delay, at most 100 ms apart); until it is
   * connected every command fails at once with a {@link CacheException} saying so. Bad settings
   * are still refused here.
   */
  public static RedisLink openInBackground(RedisTarget target) {
    return open(target, true);
  }

  private static RedisLink open(RedisTarget target, boolean inBackground) {
    ClientResources resources = SharedClientResources.acquire();
    AbstractRedisClient client = null;
    try {
      client = client(target, resources);
      StatefulConnection<byte[], byte[]> connection;
      try {
        connection = client instanceof RedisClusterClient cluster
            ? cluster.connect(ByteArrayCodec.INSTANCE)
            : ((RedisClient) client).connect(ByteArrayCodec.INSTANCE, target.uris().get(0));
      } catch (RuntimeException e) {
        if (!inBackground) {
          throw e;
        }
        log.warn("cannot connect to Redis at {} yet ({}); connecting in the background, calls"
            + " fail at once until then", target, RedisErrors.reason(e));
        RedisLink link = new RedisLink(target, client, null);
        link.notConnectedReason = RedisErrors.reason(e);
        link.connectInBackground();
        return link;
      }
      return new RedisLink(target, client, connection);
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

  private static AbstractRedisClient client(RedisTarget target, ClientResources resources) {
    ClientOptions options = clientOptions(target);
    if (target.topology() == RedisTarget.Topology.CLUSTER) {
      RedisClusterClient cluster = RedisClusterClient.create(resources, target.uris());
      // Lettuce refreshes the topology by itself on redirects, uncovered slots, unknown nodes
      // and repeated reconnects (a killed master), at most once a second: since Lettuce 7 every
      // adaptive trigger is on by default (the old enable call is deprecated); timeouts and
      // CLUSTERDOWN are no trigger there, so commandFailed asks for those. The periodic refresh
      // notices nodes added or failed over while no command failed.
      cluster.setOptions(ClusterClientOptions.builder(options)
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
              .enablePeriodicRefresh(TOPOLOGY_REFRESH)
              .adaptiveRefreshTriggersTimeout(FAILURE_REFRESH_INTERVAL)
              .refreshTriggersReconnectAttempts(RECONNECTS_BEFORE_REFRESH)
              .dynamicRefreshSources(true)
              .closeStaleConnections(true)
              .build())
          .build());
      return cluster;
    }
    RedisClient standalone = RedisClient.create(resources);
    standalone.setOptions(options);
    return standalone;
  }

  @SuppressWarnings("unchecked")
  private static RedisClusterAsyncCommands<byte[], byte[]> commandsOf(
      StatefulConnection<byte[], byte[]> connection) {
    return connection instanceof StatefulRedisClusterConnection<?, ?> cluster
        ? ((StatefulRedisClusterConnection<byte[], byte[]>) cluster).async()
        : ((StatefulRedisConnection<byte[], byte[]>) connection).async();
  }

  @SuppressWarnings("unchecked")
  private RedisClusterAsyncCommands<byte[], byte[]> forwarding() {
    return (RedisClusterAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(
        RedisClusterAsyncCommands.class.getClassLoader(),
        new Class<?>[] {RedisClusterAsyncCommands.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "commands of " + this;
            };
          }
          RedisClusterAsyncCommands<byte[], byte[]> target = live;
          if (target == null) {
            throw new CacheException("not connected to Redis at " + this.target + " yet ("
                + notConnectedReason + "); connecting in the background");
          }
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** One attempt to connect; a failed one tries again after the reconnect delay. */
  private void connectInBackground() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    CompletableFuture<? extends StatefulConnection<byte[], byte[]>> attempt;
    try {
      attempt = client instanceof RedisClusterClient cluster
          ? cluster.connectAsync(ByteArrayCodec.INSTANCE)
          : ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, target.uris().get(0))
              .toCompletableFuture();
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((connected, failure) -> {
      if (failure != null) {
        notConnectedReason = RedisErrors.reason(failure);
        client.getResources().eventExecutorGroup().schedule(this::connectInBackground,
            SharedClientResources.RECONNECT_DELAY_CAP.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      List<Runnable> waiting;
      synchronized (this) {
        if (closed) {
          connected.closeAsync();
          return;
        }
        connection = connected;
        live = commandsOf(connected);
        waiting = List.copyOf(firstConnection);
        firstConnection.clear();
      }
      log.info("connected to Redis at {}", target);
      waiting.forEach(Runnable::run);
    });
  }

  /** Whether the link has had its connection since it was opened (Lettuce keeps it after). */
  public boolean isConnected() {
    return live != null;
  }

  /**
   * Runs {@code task} once the link first has its connection: now if it has, else on a Lettuce
   * thread right after the background connection is established (so {@code task} must not
   * block).
   */
  public void whenConnected(Runnable task) {
    synchronized (this) {
      if (live == null) {
        firstConnection.add(task);
        return;
      }
    }
    task.run();
  }

  /**
   * Calls {@code listener} each time a connection of this link's client is established again,
   * with the server's address, and once with {@code null} when a link opened in the background
   * first connects. Runs on Lettuce's threads: it must not block.
   */
  public void onConnected(Consumer<SocketAddress> listener) {
    RedisConnectionStateListener watch = new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (live != null) {
          listener.accept(address);
        }
      }
    };
    client.addListener(watch);
    synchronized (this) {
      listeners.add(watch);
    }
    whenConnected(() -> listener.accept(null));
  }

  /**
   * For a Cluster, the {@code host:port} of the master serving {@code key} as the client's
   * topology knows it (no round trip); else, and when the slot has no known master, {@code null}.
   */
  public String masterServing(byte[] key) {
    if (!(client instanceof RedisClusterClient cluster)) {
      return null;
    }
    RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    return master == null || master.getUri() == null ? null
        : master.getUri().getHost() + ":" + master.getUri().getPort();
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
      return new RedisLink(null, "(application's RedisClient)", timeout, false, client, connection);
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
          connection);
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
        .socketOptions(SocketOptions.builder()
            .connectTimeout(target.timeout().plus(CONNECT_MARGIN)).build());
    target.caCertificates().ifPresent(pem -> options.sslOptions(
        SslOptions.builder().jdkSslProvider().trustManager(pem.toFile()).build()));
    return options.build();
  }

  /** The target this link is connected to; {@code null} on an application's client. */
  public RedisTarget target() {
    return target;
  }

  /**
   * Whether every command fails by itself after {@link #timeout()}: true on the clients Hoard
   * creates (Lettuce's timeout options), false on an application's client, whose settings Hoard
   * does not change.
   */
  public boolean timesOutItself() {
    return ownsClient;
  }

  /** Whether this link's commands are Cluster commands. */
  public boolean isCluster() {
    return client instanceof RedisClusterClient;
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
   * Sends a write on {@code key} and, when the target asks for {@code replicas=N}, a {@code WAIT N}
   * right behind it on the same connection (one round trip), so that the returned future completes
   * only once N replicas hold the write. {@code WAIT} waits at most half the command timeout; if
   * fewer replicas answered by then the future fails, although the master applied the write.
   * On a Cluster both go to the master of the key's slot. Without {@code replicas} this is {@code
   * write} on {@link #commands()}.
   */
  public <T> CompletableFuture<T> write(
      byte[] key,
      Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends CompletionStage<T>> write) {
    int replicas = replicas();
    if (replicas == 0) {
      return write.apply(commands).toCompletableFuture();
    }
    RedisClusterAsyncCommands<byte[], byte[]> master = masterOf(key);
    CompletableFuture<T> written = write.apply(master).toCompletableFuture();
    CompletableFuture<Long> acknowledged = master
        .waitForReplication(replicas, Math.max(1, timeout.toMillis() / 2))
        .toCompletableFuture();
    return written.thenCombine(acknowledged, (result, acknowledgements) -> {
      if (acknowledgements < replicas) {
        throw new CacheException(
            "the write reached the master but only " + acknowledgements + " of " + replicas
                + " replicas acknowledged it in time (replicas=" + replicas + "); it may"
                + " be lost if the master fails now");
      }
      return result;
    });
  }

  /** Whether writes wait for replicas ({@code replicas=N} in the URL). */
  public boolean waitsForReplicas() {
    return replicas() > 0;
  }

  private int replicas() {
    return target == null ? 0 : target.replicas();
  }

  /**
   * The commands of the connection that carries {@code key}'s writes: on a Cluster, the one to
   * the master of its slot, because {@code WAIT} counts the writes of its own connection.
   */
  private RedisClusterAsyncCommands<byte[], byte[]> masterOf(byte[] key) {
    if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster)) {
      return commands;
    }
    RedisClusterNode master = cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    if (master == null) {
      throw new CacheException("no master serves the slot of this key in " + target
          + " at the moment; the cluster may be failing over");
    }
    return cluster.getConnection(master.getNodeId()).async();
  }

  /**
   * Tells the link that a command failed. On a Cluster a failure that may mean a node is gone or
   * frozen (a timeout, a lost connection, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code
   * MASTERDOWN}) refreshes the topology in the background, at most once per second: while a
   * master fails, every second of failed commands asks again, so the refresh that sees the
   * replica's promotion comes at most a second after it. Errors in the command itself (a wrong
   * type, a script error) refresh nothing; neither does anything on a single server or Sentinel,
   * where Lettuce follows the master by itself.
   */
  public void commandFailed(Throwable failure) {
    if (!(client instanceof RedisClusterClient cluster) || !mayMeanTopologyChange(failure)) {
      return;
    }
    long last = lastFailureRefresh.get();
    long now = System.nanoTime();
    if (now - last < FAILURE_REFRESH_INTERVAL.toNanos()
        || !lastFailureRefresh.compareAndSet(last, now)) {
      return;
    }
    try {
      cluster.refreshPartitionsAsync();
    } catch (RuntimeException e) {
      // closed meanwhile, or a refresh cannot start now: the next failure asks again
    }
  }

  private static boolean mayMeanTopologyChange(Throwable failure) {
    Throwable cause = RedisErrors.unwrap(failure);
    if (cause instanceof RedisCommandExecutionException refused) {
      String reply = String.valueOf(refused.getMessage());
      return reply.startsWith("CLUSTERDOWN") || reply.startsWith("TRYAGAIN")
          || reply.startsWith("MASTERDOWN") || reply.startsWith("MOVED")
          || reply.startsWith("ASK");
    }
    // Timeouts, lost or refused connections: the node may be down or frozen.
    return !(cause instanceof InterruptedException);
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
      if (connection != null) {
        connection.close();
      }
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
