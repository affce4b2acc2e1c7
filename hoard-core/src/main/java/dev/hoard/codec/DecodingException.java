package dev.hoard.codec;

/** Stored bytes could not be turned back into a value; the cache treats the entry as a miss. */
public class DecodingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates one with a message that says what was wrong with the bytes. */
  public DecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
