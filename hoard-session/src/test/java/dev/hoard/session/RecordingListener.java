package dev.hoard.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what a {@link SessionManager} told its listeners, for tests. */
final class RecordingListener implements SessionListener {

  /** One call: {@code reason} is null for {@link #created}. */
  record Event(SessionInfo session, DestroyReason reason) {}

  final List<SessionInfo> created = new CopyOnWriteArrayList<>();
  final List<Event> destroyed = new CopyOnWriteArrayList<>();

  @Override
  public void created(SessionInfo session) {
    created.add(session);
  }

  @Override
  public void destroyed(SessionInfo session, DestroyReason reason) {
    destroyed.add(new Event(session, reason));
  }

  List<DestroyReason> reasons() {
    return destroyed.stream().map(Event::reason).toList();
  }
}
