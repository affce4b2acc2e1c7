package dev.hoard.session.cookie;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.session.KeyRing;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@code cookie://?keys=<base64 32-byte key>[,<older key>...]}: the first key seals, all of
 * them open. Keys are secrets: pass the URL through the environment ({@code HOARD_SESSION_URL}),
 * not a checked-in file.
 */
public final class CookieSessionStoreProvider implements SessionStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public CookieSessionStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("cookie");
  }

  @Override
  public SessionBackend open(StoreUrl url, Clock clock) {
    if (!url.hosts().isEmpty() || !url.path().isEmpty()) {
      throw new IllegalArgumentException(
          "a cookie session store has no host or path: write cookie://?keys=<base64 key>, not "
              + url);
    }
    String keys = url.take("keys").orElseThrow(() -> new IllegalArgumentException(
        "parameter 'keys' is missing in " + url + "; write cookie://?keys=<base64 32-byte key>"
            + "[,<older key>...], generating keys with CookieSessionStore.generateKey()"));
    try {
      return CookieSessionStore.builder().keyRing(KeyRing.parse(keys)).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter 'keys': " + e.getMessage(), e);
    }
  }
}
