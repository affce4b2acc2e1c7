/**
 * Hoard's cache: the {@code Cache} API, the {@code CacheStore} SPI, the memory and file stores,
 * codecs, tiering, resilience and rate limits. Packages named {@code internal} are not exported.
 */
// javac cannot see dev.hoard.session while it compiles this module and warns that the
// target of the qualified export below is not found; it is found wherever both are used.
// Only that lint is silenced, on this declaration only.
@SuppressWarnings("module")
module dev.hoard.core {
  // Codecs.json(ObjectMapper) takes the caller's mapper, so users of this module see Jackson.
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  // Optional, each needed only by what names it: compress=zstd, compress=lz4, the Micrometer
  // binders. Smile, CBOR and MessagePack are loaded reflectively by name (Codecs).
  requires static com.github.luben.zstd_jni;
  requires static org.lz4.java;
  requires static micrometer.core;

  exports dev.hoard.cache;
  exports dev.hoard.cache.file;
  exports dev.hoard.cache.memory;
  exports dev.hoard.cache.resilience;
  exports dev.hoard.cache.spi;
  exports dev.hoard.cache.tiered;
  exports dev.hoard.codec;
  exports dev.hoard.metrics;
  exports dev.hoard.ratelimit;
  exports dev.hoard.ratelimit.spi;
  // The session manager guards its store with the same circuit breaker as the cache.
  exports dev.hoard.cache.resilience.internal to dev.hoard.session;

  uses dev.hoard.cache.spi.CacheStoreProvider;

  provides dev.hoard.cache.spi.CacheStoreProvider with
      dev.hoard.cache.memory.MemoryStoreProvider,
      dev.hoard.cache.file.FileStoreProvider;
}
