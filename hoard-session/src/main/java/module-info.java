/**
 * Hoard's sessions: the {@code Session} API and {@code SessionManager}, the {@code SessionStore}
 * SPI, and the memory, cookie and cache-backed stores.
 */
module dev.hoard.session {
  // The builders take core types (CircuitBreakerSettings, CacheStore, Codec).
  requires transitive dev.hoard.core;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  // Optional: only the Micrometer binder (dev.hoard.session.metrics) uses it.
  requires static micrometer.core;

  exports dev.hoard.session;
  exports dev.hoard.session.cache;
  exports dev.hoard.session.cookie;
  exports dev.hoard.session.memory;
  exports dev.hoard.session.metrics;
  exports dev.hoard.session.spi;
  // RecordFormat writes a private record with Jackson, which reads it reflectively.
  opens dev.hoard.session.internal to com.fasterxml.jackson.databind;

  uses dev.hoard.session.spi.SessionStoreProvider;

  provides dev.hoard.session.spi.SessionStoreProvider with
      dev.hoard.session.cookie.CookieSessionStoreProvider,
      dev.hoard.session.cache.CacheSessionStoreProvider,
      dev.hoard.session.memory.MemorySessionStoreProvider;
}
