package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.spi.Invalidation;
import dev.hoard.cache.spi.InvalidationBus;
import dev.hoard.redis.internal.RedisErrors;
import dev.hoard.redis.internal.RedisLink;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InvalidationBus} on Redis pub/sub: one channel per key prefix, {@code
 * hoard:invalidations:<prefix>}, carrying {@link Invalidation#toBytes()}. Obtain one from {@link
 * RedisCacheStore#invalidationBus()}, or let a URL with {@code near=…} wire a near cache with it.
 *
 * <p><b>Why pub/sub and not RESP3 client tracking.</b> Tracking is armed per connection and per
 * node: Lettuce does not re-arm it after a reconnect (lettuce #1380), on a Cluster every node
 * would need its own tracked connection, and tracking can only name keys, so a {@code clear} or a
 * {@code deleteMatching} becomes one message per key. Pub/sub works the same on a single server,
 * under Sentinel and on a Cluster (where a {@code PUBLISH} reaches every node), Lettuce
 * re-subscribes after a reconnect by itself, and one message says "everything under this prefix
 * changed". What tracking would add — hearing about writes made by clients that are not Hoard
 * near caches — is covered by the near cache's bounded L1 lifetime ({@code nearTtl}).
 *
 * <p><b>Lost messages.</b> Redis pub/sub delivers at most once: whatever is published while the
 * subscriber is disconnected is gone. The bus therefore tells its listeners {@link
 * Listener#connectionLost()} as soon as Lettuce reports the subscriber connection down, and {@link
 * Listener#reconnected()} only when Redis has confirmed the channel subscription again; a near
 * cache empties its L1 at both points. A connection that dies without the operating system
 * noticing (no reset, no keep-alive answer) is not seen until TCP gives up; the L1 lifetime bounds
 * staleness then.
 *
 * <p>Invalidations are published on the store's own multiplexed connection right after the write
 * they describe, so they reach Redis after it; {@link #publish} does not wait for the reply. A
 * message this bus cannot read (another Hoard version) counts as "everything changed".
 */
public final class RedisInvalidationBus implements InvalidationBus {

  /** What every channel name starts with, before the store's key prefix. */
  public static final String CHANNEL_PREFIX = "hoard:invalidations:";

  private static final Logger log = LoggerFactory.getLogger(RedisInvalidationBus.class);
  private static final String UNREADABLE_ORIGIN = "unreadable-message";

  private final RedisLink link;
  private final byte[] channel;
  private final String description;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Object delivery = new Object();
  private final AtomicBoolean publishFailing = new AtomicBoolean();
  private final LongAdder publishFailures = new LongAdder();
  private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
  private volatile boolean connected;
  private volatile boolean closed;

  /** Subscribes to the channel of {@code prefix} on a new pub/sub connection of {@code link}. */
  RedisInvalidationBus(RedisLink link, String prefix) {
    this.link = link;
    this.channel = (CHANNEL_PREFIX + prefix).getBytes(UTF_8);
    this.description = "redis pub/sub " + link + " channel '" + CHANNEL_PREFIX + prefix
        + "'";
    if (!link.isConnected()) {
      // Redis was down when the store opened: subscribe once the link connects. Until the
      // subscription is confirmed the bus reports itself disconnected, so near caches bypass L1.
      link.whenConnected(() -> new Thread(this::subscribeLater, "hoard-redis-subscribe").start());
      return;
    }
    this.subscriber = link.openPubSub(new Messages(), this::disconnected);
    try {
      subscriber.async().subscribe(channel).get(
          link.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      link.closePubSub(subscriber);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw RedisErrors.failed(description, "subscribe", e);
    }
    connected = true;
  }

  private synchronized void subscribeLater() {
    if (closed) {
      return;
    }
    try {
      subscriber = link.openPubSub(new Messages(), this::disconnected);
      // Confirmed in Messages.subscribed, which tells the listeners the bus is connected.
      subscriber.async().subscribe(channel);
    } catch (RuntimeException e) {
      log.warn("{}: could not subscribe after connecting; near caches keep bypassing L1: {}",
          description, RedisErrors.reason(e));
    }
  }

  /** The channel name. */
  public String channel() {
    return new String(channel, UTF_8);
  }

  /** Invalidations that could not be sent since the bus was opened. */
  public long publishFailures() {
    return publishFailures.sum();
  }

  @Override
  public void publish(Invalidation invalidation) {
    Objects.requireNonNull(invalidation, "invalidation");
    byte[] message = invalidation.toBytes();
    CompletableFuture<Long> sent;
    try {
      sent = link.commands().publish(channel, message).toCompletableFuture();
    } catch (RuntimeException e) {
      publishFailed();
      throw RedisErrors.failed(description, "publish", e);
    }
    if (sent.isCompletedExceptionally()) {
      // Rejected at once, typically because the connection is down.
      publishFailed();
      try {
        sent.join();
      } catch (CompletionException | CancellationException e) {
        throw RedisErrors.failed(description, "publish", e);
      }
    }
    sent.whenComplete((receivers, failure) -> {
      if (failure != null) {
        if (publishFailed()) {
          log.warn("{}: an invalidation could not be sent; other near caches may serve the old"
              + " value until their L1 lifetime ends: {}", description, RedisErrors.reason(failure));
        }
      } else if (publishFailing.compareAndSet(true, false)) {
        log.info("{}: invalidations are sent again", description);
      }
    });
  }

  /** Counts a failure; true for the first of a run, which is the one worth logging. */
  private boolean publishFailed() {
    publishFailures.increment();
    return publishFailing.compareAndSet(false, true);
  }

  @Override
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean isConnected() {
    return connected && !closed;
  }

  /** Ends the subscription; the store's command connection stays open. */
  @Override
  public synchronized void close() {
    closed = true;
    if (subscriber != null) {
      link.closePubSub(subscriber);
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private void disconnected() {
    synchronized (delivery) {
      if (!connected) {
        return;
      }
      connected = false;
      if (!closed) {
        log.warn("{}: subscriber connection lost; near caches bypass and empty their L1 until"
            + " it is back", description);
      }
      for (Listener listener : listeners) {
        try {
          listener.connectionLost();
        } catch (RuntimeException e) {
          log.warn("{}: listener {} failed on connectionLost: {}", description, listener, e, e);
        }
      }
    }
  }

  /** Receives messages and subscription confirmations on Lettuce's event loop. */
  private final class Messages extends RedisPubSubAdapter<byte[], byte[]> {
    @Override
    public void subscribed(byte[] subscribedChannel, long count) {
      if (!Arrays.equals(subscribedChannel, channel)) {
        return;
      }
      synchronized (delivery) {
        if (connected) {
          return;
        }
        connected = true;
        for (Listener listener : listeners) {
          try {
            listener.reconnected();
          } catch (RuntimeException e) {
            log.warn("{}: listener {} failed on reconnected: {}", description, listener, e, e);
          }
        }
      }
      log.info("{}: subscribed", description);
    }

    @Override
    public void message(byte[] fromChannel, byte[] message) {
      if (!Arrays.equals(fromChannel, channel)) {
        return;
      }
      Invalidation invalidation;
      try {
        invalidation = Invalidation.fromBytes(message);
      } catch (IllegalArgumentException e) {
        // Something changed and we cannot tell what: the only safe reading is "everything".
        log.warn("{}: unreadable invalidation, near caches empty their L1: {}", description,
            e.getMessage());
        invalidation = Invalidation.ofEverything(UNREADABLE_ORIGIN);
      }
      synchronized (delivery) {
        for (Listener listener : listeners) {
          try {
            listener.invalidated(invalidation);
          } catch (RuntimeException e) {
            log.warn("{}: listener {} failed: {}", description, listener, e, e);
          }
        }
      }
    }
  }
}
