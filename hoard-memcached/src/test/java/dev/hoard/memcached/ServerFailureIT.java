package dev.hoard.memcached;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheException;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills memcached servers this test starts itself on free loopback ports: a dead server's keys
 * become misses on the next server, the other server's keys are untouched, and with every server
 * gone calls fail with a {@link CacheException} instead of hanging.
 */
class ServerFailureIT {

  private static final int KEYS = 200;

  private final List<Process> servers = new ArrayList<>();

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Process server : servers) {
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int startServer() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process server = new ProcessBuilder(
        "memcached", "-p", Integer.toString(port), "-l", "127.0.0.1", "-U", "0", "-u", "root")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    servers.add(server);
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      }
    });
    return port;
  }

  private MemcachedCacheStore storeOn(int first, int second) {
    return MemcachedCacheStore.builder()
        .server("127.0.0.1:" + first).server("127.0.0.1:" + second)
        .prefix(TestServers.prefix("failover")).timeout(Duration.ofMillis(500)).build();
  }

  private static void kill(Process server) throws InterruptedException {
    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  private static String text(Object value) {
    return new String((byte[]) value, UTF_8);
  }

  @Test
  void aDeadServersKeysBecomeMissesAndTheOtherServersKeysSurvive() throws Exception {
    int first = startServer();
    int second = startServer();
    try (MemcachedCacheStore store = storeOn(first, second)) {
      for (int i = 0; i < KEYS; i++) {
        store.put("key" + i, ("value" + i).getBytes(UTF_8), CacheStore.NEVER);
      }
      kill(servers.get(1));
      // Until the client sees the connection close, a get sent down it fails; from then on the
      // dead server's keys go to the live one.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        for (int i = 0; i < KEYS; i++) {
          store.get("key" + i);
        }
        return true;
      });

      List<Integer> missing = new ArrayList<>();
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        Object value = store.get("key" + i);
        if (value == null) {
          missing.add(i);
        } else {
          assertThat(text(value)).isEqualTo("value" + i);
          kept.add(i);
        }
      }
      assertThat(missing).as("keys of the killed server").isNotEmpty();
      assertThat(kept).as("keys of the live server").isNotEmpty();

      int moved = missing.get(0);
      store.put("key" + moved, "rewritten".getBytes(UTF_8), CacheStore.NEVER);
      assertThat(text(store.get("key" + moved))).isEqualTo("rewritten");
      assertThat(store.increment("counter", 1, CacheStore.NEVER)).isEqualTo(1);
      for (int i : kept) {
        assertThat(text(store.get("key" + i))).as("key%d", i).isEqualTo("value" + i);
      }
    }
  }

  @Test
  void throughAFailOpenCacheAKilledServersKeysAreMissesAndNothingThrows() throws Exception {
    int first = startServer();
    int second = startServer();
    String url = "memcached://127.0.0.1:" + first + ",127.0.0.1:" + second
        + "?prefix=" + TestServers.prefix("failopen") + "&timeout=500ms";
    try (Cache cache = Caches.open(url)) {
      assertThat(cache.toString()).contains("fail-open");
      for (int i = 0; i < KEYS; i++) {
        cache.put("key" + i, "value" + i, Duration.ofHours(1));
      }
      kill(servers.get(1));

      List<Integer> missing = new ArrayList<>();
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        String value = cache.get("key" + i, String.class);
        if (value == null) {
          missing.add(i);
        } else {
          assertThat(value).isEqualTo("value" + i);
          kept.add(i);
        }
      }
      assertThat(missing).as("keys of the killed server").isNotEmpty();
      assertThat(kept).as("keys of the live server").isNotEmpty();

      int moved = missing.get(0);
      assertThat(cache.remember("key" + moved, String.class, Duration.ofHours(1), () -> "reloaded"))
          .isEqualTo("reloaded");
      assertThat(cache.get("key" + moved, String.class)).isEqualTo("reloaded");
      for (int i : kept) {
        assertThat(cache.get("key" + i, String.class)).as("key%d", i).isEqualTo("value" + i);
      }
    }
  }

  @Test
  void withEveryServerGoneCallsFailClearlyWithinTheTimeout() throws Exception {
    int first = startServer();
    int second = startServer();
    try (MemcachedCacheStore store = storeOn(first, second)) {
      store.put("k", "v".getBytes(UTF_8), CacheStore.NEVER);
      kill(servers.get(0));
      kill(servers.get(1));
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        assertThatThrownBy(() -> store.put("k", "w".getBytes(UTF_8), CacheStore.NEVER))
            .isInstanceOf(CacheException.class)
            .hasMessageContaining("'k'").hasMessageContaining("127.0.0.1:" + first);
        assertThatThrownBy(() -> store.get("k"))
            .isInstanceOf(CacheException.class).hasMessageContaining("'k'");
      });
    }
  }

  /** A stopped (not closed) server: its requests time out rather than fail at once. */
  @Test
  void aHungServersKeysFailWithinTheTimeoutAndTheOtherServersKeysStillRead() throws Exception {
    int first = startServer();
    int second = startServer();
    try (MemcachedCacheStore store = storeOn(first, second)) {
      for (int i = 0; i < KEYS; i++) {
        store.put("key" + i, ("value" + i).getBytes(UTF_8), CacheStore.NEVER);
      }
      Process hung = servers.get(1);
      new ProcessBuilder("kill", "-STOP", Long.toString(hung.pid())).start().waitFor();
      try {
        List<Integer> failed = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
          for (int i = 0; i < KEYS; i += 5) {
            try {
              // Once folsom drops the timed-out connection the key moves on and reads as a miss.
              Object value = store.get("key" + i);
              if (value != null) {
                assertThat(text(value)).isEqualTo("value" + i);
                kept.add(i);
              }
            } catch (CacheException e) {
              assertThat(e).hasMessageContaining("'key" + i + "'");
              failed.add(i);
            }
          }
        });
        assertThat(failed).as("keys of the hung server").isNotEmpty();
        assertThat(kept).as("keys of the live server").isNotEmpty();
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(hung.pid())).start().waitFor();
      }
    }
  }
}
