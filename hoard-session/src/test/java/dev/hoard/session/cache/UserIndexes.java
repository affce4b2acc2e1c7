package dev.hoard.session.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.session.internal.SecureTokens;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads a {@link CacheSessionStore} user index straight from its cache store, for tests. */
final class UserIndexes {

  private UserIndexes() {}

  /** How many session keys the index of {@code userId} lists, dead ones included. */
  static long size(CacheStore cache, String prefix, String userId) {
    Object stored = cache.get(prefix + "u:" + SecureTokens.sha256(userId));
    if (stored == null) {
      return 0;
    }
    try {
      return new ObjectMapper().readTree((byte[]) stored).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
