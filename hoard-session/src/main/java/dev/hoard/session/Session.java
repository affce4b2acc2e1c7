package dev.hoard.session;

import dev.hoard.cache.TypeRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One user's session for the length of a request: typed attributes, CSRF token, flash messages and
 * the bound user. Obtain one from {@link SessionManager#open} and hand it back to {@link
 * SessionManager#save} at the end of the request; only what changed is written.
 *
 * <p>Attribute values are encoded by the manager's codec (JSON unless configured), so read them
 * back with a type: {@code get("cart", Cart.class)}. Within one request a value put is returned as
 * the same object. A session is used by one request thread at a time; concurrent requests on the
 * same session each hold their own instance and their changes merge attribute by attribute.
 */
public interface Session {

  /** The id the client presents; a secret, never logged. Changes on {@link #regenerate()}. */
  String id();

  /** When the session was created. */
  Instant createdAt();

  /** When the previous request used it (the current request's time for a new session). */
  Instant lastAccessedAt();

  /** When it expires unless used again. */
  Instant expiresAt();

  /** Whether it was created in this request (the client has not presented it yet). */
  boolean isNew();

  /** Whether it can still be used: false after {@link #invalidate()}. */
  boolean isValid();

  /** The attribute as the codec reads it without a type hint, or {@code null}. */
  Object get(String name);

  /** The attribute read as {@code type}, or {@code null} when absent or not readable as it. */
  <T> T get(String name, Class<T> type);

  /** The attribute read as a generic type, or {@code null}. */
  <T> T get(String name, TypeRef<T> type);

  /**
   * Sets an attribute; {@code null} removes it. Names starting with {@value
   * dev.hoard.session.spi.SessionRecord#RESERVED_PREFIX} are Hoard's and rejected.
   */
  void put(String name, Object value);

  /** Removes an attribute. */
  void remove(String name);

  /** Whether the attribute is set. */
  boolean contains(String name);

  /** The names of the application's attributes (Hoard's own are left out). */
  Set<String> names();

  /**
   * Gives the session a new id and a new CSRF token and keeps its other data: call it on privilege
   * changes (fixation defence; {@link #bindUser} does it on login). The old id loads nothing from
   * this moment on, and the old CSRF token is refused.
   */
  void regenerate();

  /** Ends the session at once; the store forgets it. */
  void invalidate();

  /** This session's CSRF token, created on first use; put it in forms or the {@code X-CSRF-Token} header. */
  String csrfToken();

  /** Whether {@code candidate} is this session's CSRF token, compared in constant time. */
  boolean verifyCsrfToken(String candidate);

  /** Queues a one-time message for a later request. */
  void flash(String category, String message);

  /**
   * Returns and removes the queued messages of the given categories (all categories when none are
   * given), oldest first; the others stay queued.
   */
  List<Flash> consumeFlashes(String... categories);

  /**
   * Binds the session to a user so it is listed and revoked with the user's other sessions. When
   * the user changes (a login) the session drops every attribute, flash and CSRF token it held,
   * since they belonged to the previous user or to whoever planted the session, and, unless the
   * manager's {@code regenerateOnLogin} is off, gets a new id as by {@link #regenerate()}. Read
   * what should survive the login (an anonymous cart) before, and put it back after. Binding the
   * user already bound changes nothing.
   */
  void bindUser(String userId);

  /** The bound user, if any. */
  Optional<String> userId();
}
