package dev.hoard.servlet;

import dev.hoard.session.Session;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;

/**
 * An {@link HttpSession} over a Hoard {@link Session}. Attribute values go through the session
 * manager's codec, so within a request {@code getAttribute} returns the object that was set, and
 * in later requests what the codec reads back (with JSON: maps, lists, strings, numbers).
 * {@code setMaxInactiveInterval} lasts for this request only: timeouts are the manager's.
 * Binding listeners ({@code HttpSessionBindingListener}) are not called.
 */
final class HoardHttpSession implements HttpSession {

  private final Session session;
  private final ServletContext context;
  private int maxInactiveSeconds;

  HoardHttpSession(Session session, ServletContext context, Duration idleTimeout) {
    this.session = session;
    this.context = context;
    this.maxInactiveSeconds = (int) Math.min(Integer.MAX_VALUE, idleTimeout.toSeconds());
  }

  /** The Hoard session behind this one. */
  public Session session() {
    return session;
  }

  @Override
  public long getCreationTime() {
    checkValid();
    return session.createdAt().toEpochMilli();
  }

  @Override
  public String getId() {
    return session.id();
  }

  @Override
  public long getLastAccessedTime() {
    checkValid();
    return session.lastAccessedAt().toEpochMilli();
  }

  @Override
  public ServletContext getServletContext() {
    return context;
  }

  @Override
  public void setMaxInactiveInterval(int interval) {
    this.maxInactiveSeconds = interval;
  }

  @Override
  public int getMaxInactiveInterval() {
    return maxInactiveSeconds;
  }

  @Override
  public Object getAttribute(String name) {
    checkValid();
    return session.get(name);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    checkValid();
    return Collections.enumeration(session.names());
  }

  @Override
  public void setAttribute(String name, Object value) {
    checkValid();
    session.put(name, value);
  }

  @Override
  public void removeAttribute(String name) {
    checkValid();
    session.remove(name);
  }

  @Override
  public void invalidate() {
    checkValid();
    session.invalidate();
  }

  @Override
  public boolean isNew() {
    checkValid();
    return session.isNew();
  }

  private void checkValid() {
    if (!session.isValid()) {
      throw new IllegalStateException("the session was invalidated");
    }
  }
}
