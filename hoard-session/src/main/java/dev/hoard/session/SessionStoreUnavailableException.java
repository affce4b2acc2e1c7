package dev.hoard.session;

import java.time.Duration;
import java.util.Objects;

/**
 * The session store cannot be reached (down, frozen, not connected yet), so the session of this
 * request can be neither read nor written. Not a reason to start a fresh session: that would look
 * like a logout. {@code SessionFilter} answers {@code 503} with {@code Retry-After: }{@link
 * #retryAfter()} by default.
 */
public class SessionStoreUnavailableException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /** The store failed or its circuit breaker is open; {@code retryAfter} is worth waiting first. */
  public SessionStoreUnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long a client should wait before trying again: the breaker's cool-down. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
