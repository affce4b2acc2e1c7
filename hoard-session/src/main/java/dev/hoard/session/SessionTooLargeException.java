package dev.hoard.session;

/** A session does not fit its store (a cookie over 4 KB); thrown at save time, nothing is lost. */
public class SessionTooLargeException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final int size;
  private final int limit;

  /** A session of {@code size} bytes that exceeds {@code limit}. */
  public SessionTooLargeException(String message, int size, int limit) {
    super(message);
    this.size = size;
    this.limit = limit;
  }

  /** How large the session would have been, in bytes. */
  public int size() {
    return size;
  }

  /** The store's limit, in bytes. */
  public int limit() {
    return limit;
  }
}
