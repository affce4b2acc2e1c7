package dev.hoard.session.internal;

import dev.hoard.session.DestroyReason;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the application's {@link SessionListener}s; a listener that throws is logged and skipped. */
public final class SessionEvents {

  private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

  private final List<SessionListener> listeners;

  /** Events for {@code listeners}, in their order. */
  public SessionEvents(List<SessionListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** A session was stored (or sealed) for the first time. */
  public void created(SessionInfo info) {
    for (SessionListener listener : listeners) {
      try {
        listener.created(info);
      } catch (RuntimeException e) {
        log.warn("session listener {} failed on created: {}", listener, e.toString());
      }
    }
  }

  /** A session ended for {@code reason}. */
  public void destroyed(SessionInfo info, DestroyReason reason) {
    for (SessionListener listener : listeners) {
      try {
        listener.destroyed(info, reason);
      } catch (RuntimeException e) {
        log.warn("session listener {} failed on destroyed ({}): {}", listener, reason,
            e.toString());
      }
    }
  }
}
