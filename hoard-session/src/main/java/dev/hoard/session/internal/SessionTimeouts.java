package dev.hoard.session.internal;

import dev.hoard.session.spi.SessionRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * How long sessions live and how often their access time is written: every expiry a manager
 * computes or checks comes from here.
 *
 * @param idle how long a session lives without use
 * @param absolute how long a session lives at most, however much it is used
 * @param touchInterval how often the access time of an otherwise unchanged session is written
 */
public record SessionTimeouts(Duration idle, Duration absolute, Duration touchInterval) {

  /** When a session created at {@code createdAt} and last used at {@code accessedAt} expires. */
  public Instant expiry(Instant createdAt, Instant accessedAt) {
    Instant idleEnd = accessedAt.plus(idle);
    Instant absoluteEnd = createdAt.plus(absolute);
    return idleEnd.isBefore(absoluteEnd) ? idleEnd : absoluteEnd;
  }

  /**
   * Whether {@code record} is dead at {@code now}: past the expiry it was stored with, or past a
   * timeout as configured now (which may be shorter than when it was stored).
   */
  public boolean areOver(SessionRecord record, Instant now) {
    return record.isExpiredAt(now)
        || !now.isBefore(record.createdAt().plus(absolute))
        || !now.isBefore(record.lastAccessedAt().plus(idle));
  }

  /** Whether the access time of {@code session}, otherwise unchanged, is due to be written. */
  public boolean touchDue(DefaultSession session, Instant now) {
    return Duration.between(session.lastWrittenAccess(), now).compareTo(touchInterval) >= 0;
  }
}
