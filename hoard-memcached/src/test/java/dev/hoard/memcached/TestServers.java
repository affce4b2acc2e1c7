package dev.hoard.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The memcached servers tests use, from {@code HOARD_MEMCACHED_SERVERS}, and unique prefixes. */
final class TestServers {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final Set<String> REACHABLE = ConcurrentHashMap.newKeySet();

  private TestServers() {}

  /**
   * The servers, each checked to accept a connection: the client would otherwise retry a server
   * that is down until every test timed out, instead of saying which one to start.
   */
  static List<String> addresses() {
    String configured = System.getenv("HOARD_MEMCACHED_SERVERS");
    String servers = configured == null || configured.isBlank()
        ? "127.0.0.1:11211,127.0.0.1:11212" : configured;
    List<String> addresses =
        Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String address : addresses) {
      if (!REACHABLE.contains(address)) {
        checkReachable(address);
        REACHABLE.add(address);
      }
    }
    return addresses;
  }

  private static void checkReachable(String address) {
    int colon = address.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1))), 2000);
    } catch (IOException e) {
      throw new IllegalStateException("memcached must run on " + address + " (" + e.getMessage()
          + "): run scripts/services, or set HOARD_MEMCACHED_SERVERS", e);
    }
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
