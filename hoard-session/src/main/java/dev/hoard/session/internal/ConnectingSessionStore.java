package dev.hoard.session.internal;

import dev.hoard.session.SessionStoreUnavailableException;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session store whose server could not be reached at start-up: it keeps trying to open it in the
 * background (every half second at first, then less often, at most every {@link #MAX_RETRY}) and
 * until then fails every call with {@link SessionStoreUnavailableException}, so the application
 * starts and answers {@code 503} for sessions instead of not starting at all.
 */
public final class ConnectingSessionStore implements SessionStore {

  private static final Logger log = LoggerFactory.getLogger(ConnectingSessionStore.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final String description;
  private final Supplier<SessionBackend> opener;
  private final ScheduledExecutorService connector;
  private volatile SessionStore connected;
  private volatile RuntimeException lastFailure;
  private volatile boolean closed;

  /**
   * Starts opening with {@code opener} in the background after the first attempt failed with
   * {@code failure}; {@code description} names the store (no credentials) until it is open.
   */
  public ConnectingSessionStore(
      String description, Supplier<SessionBackend> opener, RuntimeException failure) {
    this.description = description;
    this.opener = opener;
    this.lastFailure = failure;
    this.connector = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "hoard-session-connect");
      thread.setDaemon(true);
      return thread;
    });
    log.warn("session store {} cannot be reached ({}); starting anyway and connecting in the"
        + " background, requests that need a session get 503 until then", description,
        failure.getMessage());
    schedule(FIRST_RETRY);
  }

  /** Whether the store has been opened. */
  public boolean isConnected() {
    return connected != null;
  }

  private void schedule(Duration delay) {
    try {
      connector.schedule(() -> attempt(delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile.
    }
  }

  private void attempt(Duration delay) {
    if (closed) {
      return;
    }
    SessionBackend opened;
    try {
      opened = opener.get();
    } catch (RuntimeException e) {
      lastFailure = e;
      log.debug("session store {} still cannot be reached: {}", description, e.getMessage());
      Duration next = delay.multipliedBy(2);
      schedule(next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next);
      return;
    }
    if (!(opened instanceof SessionStore store)) {
      opened.close();
      lastFailure = new IllegalStateException(
          description + " opened as " + opened.description() + ", not a server session store");
      log.error("session store {} cannot be used: {}", description, lastFailure.getMessage());
      return;
    }
    synchronized (this) {
      if (closed) {
        store.close();
        return;
      }
      connected = store;
    }
    connector.shutdown();
    log.info("session store {} connected", store.description());
  }

  private SessionStore store() {
    SessionStore store = connected;
    if (store == null) {
      throw new SessionStoreUnavailableException(
          "session store " + description + " is not connected yet: " + lastFailure.getMessage(),
          FIRST_RETRY.multipliedBy(2), lastFailure);
    }
    return store;
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    return store().load(key, now);
  }

  @Override
  public void create(SessionRecord record) {
    store().create(record);
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    return store().update(key, delta, now);
  }

  @Override
  public boolean delete(String key) {
    return store().delete(key);
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    return store().findByUser(userId, now);
  }

  @Override
  public long deleteByUser(String userId) {
    return store().deleteByUser(userId);
  }

  @Override
  public long purgeExpired(Instant now) {
    return store().purgeExpired(now);
  }

  @Override
  public String description() {
    SessionStore store = connected;
    return store != null ? store.description() : description + " (connecting)";
  }

  @Override
  public void close() {
    SessionStore store;
    synchronized (this) {
      closed = true;
      store = connected;
    }
    connector.shutdownNow();
    if (store != null) {
      store.close();
    }
  }
}
