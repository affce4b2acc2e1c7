package dev.hoard.redis.internal;

import dev.hoard.cache.CacheException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns what Lettuce throws into Hoard's exceptions, with messages that name the store and the operation. */
public final class RedisErrors {

  private RedisErrors() {}

  /** The exception behind the wrappers that futures add. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A short reason for a message: the failure's own text, plus its cause's when that adds to it. */
  public static String reason(Throwable failure) {
    Throwable cause = unwrap(failure);
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    Throwable deeper = cause.getCause();
    if (deeper != null && deeper.getMessage() != null && !reason.contains(deeper.getMessage())) {
      reason += " (" + deeper.getMessage() + ")";
    }
    return reason;
  }

  /**
   * A {@link CacheException} saying that {@code operation} on {@code store} failed and why.
   *
   * @param store the store's description, which never holds a password
   * @param operation what was attempted, e.g. {@code get 'user:1'}
   */
  public static CacheException failed(String store, String operation, Throwable failure) {
    Throwable cause = unwrap(failure);
    boolean timedOut =
        cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException;
    String what = timedOut ? "timed out" : "failed";
    return new CacheException(
        "Redis store " + store + ": " + operation + " " + what + ": " + reason(cause), cause);
  }
}
