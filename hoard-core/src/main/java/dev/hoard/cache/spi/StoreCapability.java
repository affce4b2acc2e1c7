package dev.hoard.cache.spi;

/** Something a {@link CacheStore} can do beyond the basic operations. */
public enum StoreCapability {
  /** Values are kept as objects by reference; no codec runs on the way in or out. */
  STORES_REFERENCES,
  /** {@link CacheStore#keys} and {@link CacheStore#deleteMatching} work. */
  KEY_SCAN,
  /** Entries survive a restart of the process. */
  PERSISTENT,
  /** Several processes see the same entries. */
  SHARED,
  /**
   * {@link CacheStore#tryLock} and {@link CacheStore#unlock} work, so {@code remember} can let one
   * process of many run a loader.
   */
  LOCKS,
  /**
   * {@link CacheStore#gcra} works, so a {@link dev.hoard.ratelimit.RateLimiter} can run a token
   * bucket ({@link dev.hoard.ratelimit.RateLimitAlgorithm#TOKEN_BUCKET}) on it.
   */
  GCRA,
  /**
   * Parts of the store fail independently and {@link CacheStore#failureDomain} tells which part
   * serves a key (a Redis Cluster: one domain per master).
   */
  FAILURE_DOMAINS,
  /**
   * Calls never wait on I/O (an in-process store), so the SPI's asynchronous calls run them on the
   * caller's thread and return a completed stage instead of handing them to {@link BlockingIo}.
   */
  NON_BLOCKING
}
