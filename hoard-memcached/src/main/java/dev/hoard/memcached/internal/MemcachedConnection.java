package dev.hoard.memcached.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The few asynchronous Memcached commands the store needs, so the client library behind them can
 * be replaced (by another library or a meta-protocol client of our own) without touching the
 * store. Keys arrive already valid for Memcached: printable ASCII, at most 250 bytes.
 *
 * <p>Expiry ({@code exptime}) is Memcached's: 0 for never, relative seconds up to 30 days,
 * absolute unix seconds beyond (an unsigned 32-bit number).
 */
public interface MemcachedConnection extends AutoCloseable {

  /** A stored value with the CAS token that guards replacing it. */
  record Item(byte[] value, long cas) {}

  /** What a conditional write did. */
  enum Outcome {
    STORED, EXISTS, NOT_FOUND
  }

  /** The value and CAS token, or {@code null} when absent. */
  CompletableFuture<Item> get(String key);

  /** The values of the keys that are present; the request is split per server. */
  CompletableFuture<Map<String, byte[]>> getAll(List<String> keys);

  /** Stores unconditionally. */
  CompletableFuture<Void> set(String key, byte[] value, int exptime);

  /** Stores only when the key is absent; returns whether it stored. */
  CompletableFuture<Boolean> add(String key, byte[] value, int exptime);

  /** Stores only when the key still has the given CAS token. */
  CompletableFuture<Outcome> compareAndSet(String key, byte[] value, int exptime, long cas);

  /** Removes the key; returns whether it was present. */
  CompletableFuture<Boolean> delete(String key);

  /**
   * Memcached's own unsigned increment, creating the key with {@code initial} and {@code exptime}
   * when absent. Only for keys that never hold anything but a plain decimal: folsom drops the
   * connection when the server answers that a value is not numeric.
   */
  CompletableFuture<Long> incrementOrCreate(String key, long delta, long initial, int exptime);

  /**
   * Each server's general {@code stats} ({@code bytes}, {@code curr_items}, {@code evictions},
   * {@code get_hits}...), keyed by {@code host:port} as the servers were given.
   */
  CompletableFuture<Map<String, Map<String, String>>> stats();

  /** Server addresses, for descriptions and errors. */
  String description();

  /** Closes connections. */
  @Override
  void close();
}
