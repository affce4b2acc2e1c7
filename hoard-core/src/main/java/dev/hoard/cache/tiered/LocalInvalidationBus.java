package dev.hoard.cache.tiered;

import dev.hoard.cache.spi.Invalidation;
import dev.hoard.cache.spi.InvalidationBus;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link InvalidationBus} inside one JVM: for several near caches over one shared store in a
 * single process, and for tests. Messages are delivered on the publishing thread, through the
 * same wire form a network bus uses. {@link #disconnect()} and {@link #reconnect()} act out a lost
 * connection: messages published in between are lost, as they would be on a network.
 */
public final class LocalInvalidationBus implements InvalidationBus {

  private static final Logger log = LoggerFactory.getLogger(LocalInvalidationBus.class);

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean connected = true;

  /** A connected bus with no listeners yet. */
  public LocalInvalidationBus() {}

  @Override
  public void publish(Invalidation invalidation) {
    Objects.requireNonNull(invalidation, "invalidation");
    if (!connected) {
      return;
    }
    byte[] wire = invalidation.toBytes();
    for (Listener listener : listeners) {
      try {
        listener.invalidated(Invalidation.fromBytes(wire));
      } catch (RuntimeException e) {
        log.warn("invalidation listener {} failed: {}", listener, e.toString(), e);
      }
    }
  }

  @Override
  public Subscription subscribe(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  /** Stops delivery and tells every listener that messages may be lost. */
  public synchronized void disconnect() {
    if (connected) {
      connected = false;
      listeners.forEach(Listener::connectionLost);
    }
  }

  /** Resumes delivery and tells every listener that messages sent meanwhile were lost. */
  public synchronized void reconnect() {
    if (!connected) {
      connected = true;
      listeners.forEach(Listener::reconnected);
    }
  }

  /** Drops every subscription. */
  @Override
  public void close() {
    listeners.clear();
  }

  @Override
  public String toString() {
    return "local invalidation bus (" + listeners.size() + " listeners)";
  }
}
