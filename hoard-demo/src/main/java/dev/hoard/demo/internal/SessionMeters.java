package dev.hoard.demo.internal;

import dev.hoard.session.DestroyReason;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionListener;
import java.util.Locale;

/** Feeds session begin and end events into the metrics. */
final class SessionMeters implements SessionListener {

  private final DemoMetrics metrics;

  SessionMeters(DemoMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void created(SessionInfo session) {
    metrics.sessionCreated();
  }

  @Override
  public void destroyed(SessionInfo session, DestroyReason reason) {
    metrics.sessionDestroyed(reason.name().toLowerCase(Locale.ROOT));
  }
}
