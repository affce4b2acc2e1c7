package dev.hoard.redis.testing;

import java.util.UUID;

/** Store URLs for tests: the shared server from the environment, with a prefix no other suite uses. */
public final class TestUrls {

  private TestUrls() {}

  /** The shared Redis server: {@code HOARD_REDIS_URL}, or {@code redis://127.0.0.1:6379/0}. */
  public static String sharedServer() {
    String url = System.getenv("HOARD_REDIS_URL");
    return url == null || url.isBlank() ? "redis://127.0.0.1:6379/0" : url;
  }

  /** {@code url} with a {@code prefix} parameter unique to {@code owner} and this run. */
  public static String withUniquePrefix(String url, Class<?> owner) {
    String prefix = "hoard-test:" + owner.getSimpleName() + ":" + UUID.randomUUID() + ":";
    return url + (url.contains("?") ? "&" : "?") + "prefix=" + prefix;
  }
}
