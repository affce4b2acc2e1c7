package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Locale;

/**
 * Refuses logins after too many failures: per client address and user name (guessing one
 * account's password), and per address alone (trying many accounts). Failures are atomic counters
 * in the cache, so every store, Redis and Memcached included, enforces the limit across processes;
 * each window starts at the first attempt it counts.
 */
final class LoginThrottle {

  private final Cache counters;
  private final int perAccount;
  private final int perAddress;
  private final Duration window;
  private final Counter rejections;

  /**
   * @param perAccount failures allowed per address and user name within {@code window}
   * @param perAddress failures allowed per address within {@code window}
   */
  LoginThrottle(Cache counters, int perAccount, int perAddress, Duration window, Counter rejections) {
    this.counters = counters;
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.window = window;
    this.rejections = rejections;
  }

  /** Throws a 429 when this client may not try again yet. */
  void check(String address, String username) {
    check(accountKey(address, username), perAccount, "for user '" + username + "'");
    check(addressKey(address), perAddress, "from " + address);
  }

  /** Counts a failed attempt. */
  void failed(String address, String username) {
    counters.increment(accountKey(address, username), 1, window);
    counters.increment(addressKey(address), 1, window);
  }

  private void check(String key, int limit, String what) {
    // Adding zero reads the counter atomically on every store.
    if (counters.increment(key, 0, window) < limit) {
      return;
    }
    Duration wait = counters.ttl(key).filter(ttl -> !ttl.isNegative()).orElse(window);
    Duration rounded = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    rejections.increment();
    throw ApiException.tooManyRequests("too many failed logins " + what + "; try again in "
        + rounded.toSeconds() + " s", rounded);
  }

  private static String accountKey(String address, String username) {
    return "login-failures:" + address + ":" + username.toLowerCase(Locale.ROOT);
  }

  private static String addressKey(String address) {
    return "login-failures:" + address;
  }
}
