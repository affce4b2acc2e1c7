package dev.hoard.redis;

import dev.hoard.redis.internal.RedisLink;
import dev.hoard.redis.internal.RedisTarget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings both Redis stores are built with on a Lettuce client the application owns: the key
 * prefix, the clock and the timeout. {@link RedisCacheStore.Builder} and {@link
 * dev.hoard.redis.session.RedisSessionStore.Builder} extend it; it is not meant to be extended
 * elsewhere.
 *
 * <p>The client keeps its own options and URI (it must have been created with one); the store
 * opens its connections on it and closes only those, so the client stays the application's to
 * shut down.
 *
 * @param <B> the builder each setter returns, for chained calls
 */
public abstract class RedisStoreBuilder<B extends RedisStoreBuilder<B>> {

  private final RedisClient client;
  private final RedisClusterClient clusterClient;
  private String prefix;
  private Clock clock = Clock.systemUTC();
  private Duration timeout = RedisTarget.DEFAULT_TIMEOUT;

  /** A builder on exactly one of {@code client} or {@code clusterClient}, with the store's prefix. */
  protected RedisStoreBuilder(
      RedisClient client, RedisClusterClient clusterClient, String defaultPrefix) {
    this.client = client;
    this.clusterClient = clusterClient;
    this.prefix = defaultPrefix;
  }

  /**
   * Put before every key the store writes; the store's {@code DEFAULT_PREFIX} unless set.
   *
   * @throws IllegalArgumentException if empty: the store's keys would then mix with every other
   *     key of the database, and clearing it would delete them all
   */
  public B prefix(String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "the prefix must not be empty, or the store's keys would mix with every other key in"
              + " the database; give one such as \"app:\"");
    }
    this.prefix = prefix;
    return self();
  }

  /** The clock expiry is computed with; tests pass one they can advance. */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * How long a call waits for Redis's reply before it fails, 2 seconds unless set; the client's
   * own command timeout, if shorter, fails it first.
   *
   * @throws IllegalArgumentException if not positive
   */
  public B timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, was " + timeout);
    }
    this.timeout = timeout;
    return self();
  }

  /** The prefix set or defaulted. */
  protected final String prefix() {
    return prefix;
  }

  /** The clock set or defaulted. */
  protected final Clock clock() {
    return clock;
  }

  /** Connects on the application's client; the link never shuts the client down. */
  // For this module's store builders only: its type is internal, not exported, so a subclass
  // elsewhere could not use it. "exports" would warn of exactly that.
  @SuppressWarnings("exports")
  protected final RedisLink connect() {
    return client != null ? RedisLink.on(client, timeout) : RedisLink.on(clusterClient, timeout);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }
}
