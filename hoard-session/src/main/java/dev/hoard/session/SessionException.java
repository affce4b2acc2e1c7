package dev.hoard.session;

/** A session backend failed; the message names the store and the operation. */
public class SessionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public SessionException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public SessionException(String message, Throwable cause) {
    super(message, cause);
  }
}
