package dev.hoard.redis.internal;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;

/**
 * The Netty event loops and timers every Redis link in this JVM shares, as Lettuce recommends:
 * created by the first link, shut down when the last one closes, so an idle application keeps no
 * Redis threads.
 */
final class SharedClientResources {

  private static ClientResources resources;
  private static int users;

  private SharedClientResources() {}

  static synchronized ClientResources acquire() {
    if (users++ == 0) {
      resources = DefaultClientResources.create();
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
