package dev.hoard.cache.spi;

/**
 * Hears that a store's connection to its server is up again; see {@link
 * CacheStore#addConnectionListener}. Called on the store's I/O threads: return quickly, never
 * block, never call the store.
 */
@FunctionalInterface
public interface ConnectionListener {

  /**
   * A connection is (again) established to the part of the store named by {@code failureDomain},
   * as {@link CacheStore#failureDomain} names it, or to the whole store ({@link
   * CacheStore#WHOLE_STORE}) when the store cannot tell.
   */
  void connected(String failureDomain);
}
