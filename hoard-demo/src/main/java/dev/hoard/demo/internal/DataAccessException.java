package dev.hoard.demo.internal;

/** A database call failed; the request gets a 500 and the log gets the cause. */
final class DataAccessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Wraps the driver's exception. */
  DataAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
