package dev.hoard.session.internal;

import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.CircuitState;
import dev.hoard.cache.resilience.internal.CircuitBreaker;
import dev.hoard.session.SessionStoreUnavailableException;
import dev.hoard.session.SessionTooLargeException;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session store behind hoard-core's circuit breaker, so that an outage costs one failed call
 * (one timeout on a frozen server) per cool-down instead of one per request. While the breaker is
 * open every call fails at once with {@link SessionStoreUnavailableException}; a failing call
 * throws the same, with the store's error as its cause, so callers see one kind of outage.
 */
public final class GuardedSessionStore implements SessionStore {

  private static final Logger log = LoggerFactory.getLogger(GuardedSessionStore.class);

  private final SessionStore store;
  private final CircuitBreaker breaker;
  private final Duration retryAfter;

  /** Guards {@code store} with a breaker of {@code settings} timed on {@code clock}. */
  public GuardedSessionStore(SessionStore store, CircuitBreakerSettings settings, Clock clock) {
    this.store = store;
    this.breaker = new CircuitBreaker(settings, clock, new Logging());
    this.retryAfter = settings.coolDown();
  }

  /** The state of the breaker, for health checks. */
  public CircuitState state() {
    return breaker.state();
  }

  /** The store this guards. */
  public SessionStore guarded() {
    return store;
  }

  @Override
  public SessionRecord load(String key, Instant now) {
    return call("load", () -> store.load(key, now));
  }

  @Override
  public void create(SessionRecord record) {
    call("create", () -> {
      store.create(record);
      return null;
    });
  }

  @Override
  public boolean update(String key, SessionDelta delta, Instant now) {
    return call("update", () -> store.update(key, delta, now));
  }

  @Override
  public boolean delete(String key) {
    return call("delete", () -> store.delete(key));
  }

  @Override
  public List<SessionRecord> findByUser(String userId, Instant now) {
    return call("findByUser", () -> store.findByUser(userId, now));
  }

  @Override
  public long deleteByUser(String userId) {
    return call("deleteByUser", () -> store.deleteByUser(userId));
  }

  @Override
  public long purgeExpired(Instant now) {
    return call("purgeExpired", () -> store.purgeExpired(now));
  }

  @Override
  public String description() {
    return store.description();
  }

  @Override
  public void close() {
    store.close();
  }

  private <T> T call(String operation, Supplier<T> action) {
    CircuitBreaker.Permit permit = breaker.acquire();
    if (permit == CircuitBreaker.Permit.REJECTED) {
      throw new SessionStoreUnavailableException(
          "session store " + store.description() + " is unavailable (its circuit breaker is open"
              + " after failures); " + operation + " was not tried",
          retryAfter, null);
    }
    T result;
    try {
      result = action.get();
    } catch (SessionTooLargeException | IllegalArgumentException e) {
      breaker.succeeded(permit); // the store answered; the input was wrong
      throw e;
    } catch (RuntimeException e) {
      breaker.failed(permit, e, CircuitBreaker.isTimeout(e));
      if (e instanceof SessionStoreUnavailableException unavailable) {
        throw unavailable;
      }
      throw new SessionStoreUnavailableException(
          "session store " + store.description() + " failed on " + operation + ": "
              + e.getMessage(), retryAfter, e);
    }
    breaker.succeeded(permit);
    return result;
  }

  /** One log line per state change, so an outage is visible without flooding the log. */
  private final class Logging implements CircuitBreaker.Transitions {
    @Override
    public void opened(String reason, Throwable lastFailure) {
      log.warn("session store {} is unavailable ({}); requests needing a session get 503 for {}:"
          + " {}", store.description(), reason, retryAfter, String.valueOf(lastFailure));
    }

    @Override
    public void trialFailed(Throwable failure) {
      log.debug("session store {} still unavailable: {}", store.description(),
          String.valueOf(failure));
    }

    @Override
    public void closed(String why) {
      log.info("session store {} answers again ({})", store.description(), why);
    }
  }
}
