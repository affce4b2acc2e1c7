package dev.hoard.session;

import java.util.Objects;

/**
 * A one-time message for the next page ("Saved.", "Wrong password"), read once with {@link
 * Session#consumeFlashes}.
 *
 * @param category what kind of message, such as {@code info} or {@code error}
 * @param message the text
 */
public record Flash(String category, String message) {

  /** Checks that neither part is null. */
  public Flash {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(message, "message");
  }
}
