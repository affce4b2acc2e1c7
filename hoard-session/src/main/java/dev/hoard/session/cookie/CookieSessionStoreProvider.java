package dev.hoard.session.cookie;

import dev.hoard.cache.spi.StoreUrl;
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
    CookieSessionStore.Builder builder = CookieSessionStore.builder();
    String[] parts = keys.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      try {
        builder.key(parts[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "parameter 'keys': key " + (i + 1) + " of " + parts.length + " is bad: "
                + e.getMessage(), e);
      }
    }
    return builder.build();
  }
}
