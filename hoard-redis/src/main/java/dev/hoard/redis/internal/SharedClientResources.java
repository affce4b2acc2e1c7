package dev.hoard.redis.internal;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops and timers every Redis link in this JVM shares, as Lettuce recommends:
 * created by the first link, shut down when the last one closes, so an idle application keeps no
 * Redis threads.
 */
final class SharedClientResources {

  /** The longest wait between two attempts to reconnect. */
  static final Duration RECONNECT_DELAY_CAP = Duration.ofMillis(100);

  private static ClientResources resources;
  private static int users;

  private SharedClientResources() {}

  static synchronized ClientResources acquire() {
    if (users++ == 0) {
      // Lettuce backs off up to 30 s between reconnect attempts by default, so after a long
      // outage a cache would stay on its fallback for up to 30 s after Redis is back, dropping
      // (fail-open) or misplacing (fallback) every write meanwhile. Capped at 100 ms, so those
      // writes are at most a tenth of a second's worth; an attempt on a server that is down is
      // refused at once and costs next to nothing. With jitter, so a fleet does not reconnect in
      // lockstep.
      resources = DefaultClientResources.builder()
          .reconnectDelay(Delay.equalJitter(
              Duration.ofMillis(1), RECONNECT_DELAY_CAP, 2, TimeUnit.MILLISECONDS))
          .build();
    }
    return resources;
  }

  static synchronized void release() {
    if (--users == 0) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      resources = null;
    }
  }
}
