package dev.hoard.session.cache;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.session.internal.RecordFormat;
import dev.hoard.session.spi.SessionStore;
import dev.hoard.session.testing.SessionSecurityContract;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The fixation and encryption guarantees on a cache-backed store, its raw entries read back. */
class CacheSessionSecurityTest extends SessionSecurityContract {

  private CacheStore cache;

  @Override
  protected SessionStore openStore(ManualClock clock) {
    cache = MemoryCacheStore.builder().clock(clock).build();
    return CacheSessionStore.builder(cache).build();
  }

  @Override
  protected List<byte[]> storedBytes(SessionStore store, String key) {
    // The entry is JSON with base64 attribute values: decode it, or plaintext would hide in base64.
    List<byte[]> bytes = new ArrayList<>();
    try (Stream<String> keys = cache.keys(Glob.of("*" + Glob.escape(key) + "*"))) {
      for (String stored : keys.toList()) {
        if (cache.get(stored) instanceof byte[] value) {
          bytes.add(value);
          bytes.addAll(RecordFormat.read(value).attributes().values());
        }
      }
    }
    return bytes;
  }
}
