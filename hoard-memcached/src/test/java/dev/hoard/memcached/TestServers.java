package dev.hoard.memcached;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The memcached servers tests use, from {@code HOARD_MEMCACHED_SERVERS}, and unique prefixes. */
final class TestServers {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private TestServers() {}

  static List<String> addresses() {
    String configured = System.getenv("HOARD_MEMCACHED_SERVERS");
    String servers = configured == null || configured.isBlank()
        ? "127.0.0.1:11211,127.0.0.1:11212" : configured;
    return Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A prefix no other test or test run uses. */
  static String prefix(String purpose) {
    return "hoard-test:" + RUN + ":" + purpose + ":" + UUID.randomUUID().toString().substring(0, 8)
        + ":";
  }

  static MemcachedCacheStore.Builder builder(String purpose) {
    MemcachedCacheStore.Builder builder = MemcachedCacheStore.builder().prefix(prefix(purpose));
    addresses().forEach(builder::server);
    return builder;
  }

  static String url(String prefix) {
    return "memcached://" + String.join(",", addresses()) + "?prefix=" + prefix;
  }
}
