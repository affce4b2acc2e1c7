package dev.hoard.cache.spi;

/**
 * Carries {@link Invalidation}s between the processes that keep near caches of one shared store,
 * so that a write in one process removes the stale copy from every other process's memory.
 *
 * <p>One bus serves one namespace: a Redis implementation uses one pub/sub channel per key prefix
 * and sends {@link Invalidation#toBytes()} as the payload. A bus delivers every message to every
 * subscriber, the publisher's own included; listeners skip their own messages by {@link
 * Invalidation#origin()}.
 *
 * <p>Losing messages is allowed only together with telling listeners: call {@link
 * Listener#connectionLost()} as soon as delivery can no longer be guaranteed, and {@link
 * Listener#reconnected()} only once the subscription is active again, so that near caches can drop
 * everything they hold that may have changed in between. Calls to one listener never overlap.
 */
public interface InvalidationBus extends AutoCloseable {

  /**
   * Sends an invalidation to every subscriber. It should not wait for them; it throws an unchecked
   * exception when the message could not be sent.
   */
  void publish(Invalidation invalidation);

  /**
   * Registers a listener until the returned subscription is closed. If the bus is not connected
   * at that moment, {@link #isConnected()} says so; the listener hears of the next change.
   */
  Subscription subscribe(Listener listener);

  /** Whether messages are being delivered now. */
  boolean isConnected();

  /** Releases the bus's connection; its subscriptions end. */
  @Override
  void close();

  /** Receives invalidations and news about the connection. */
  interface Listener {
    /** Another process (or this one) changed or removed what the message names. */
    void invalidated(Invalidation invalidation);

    /** Messages may be lost from now on until {@link #reconnected()}. */
    void connectionLost();

    /** Messages are delivered again; any sent while disconnected are lost. */
    void reconnected();
  }

  /** A listener's registration. */
  interface Subscription extends AutoCloseable {
    /** Stops delivery to the listener. */
    @Override
    void close();
  }
}
