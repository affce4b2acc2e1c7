package dev.hoard.cache;

/** A cache store failed (unreachable, timed out, refused the command). */
public class CacheException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates one whose message names the store and the operation that failed. */
  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates one whose message names the store and the operation that failed. */
  public CacheException(String message) {
    super(message);
  }
}
