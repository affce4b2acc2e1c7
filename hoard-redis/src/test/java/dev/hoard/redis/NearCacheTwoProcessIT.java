package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.tiered.TieredCacheStore;
import dev.hoard.redis.testing.PrivateRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two JVMs with near caches over one Redis prefix: a write or delete in either removes the key
 * from the other's L1, carried by Redis pub/sub. The L1 lifetime is ten minutes, so only a
 * message can explain the other process seeing a change.
 */
class NearCacheTwoProcessIT {

  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.noServerYet();
  private Process child;
  private PrintWriter toChild;
  private BufferedReader fromChild;

  @AfterEach
  void stop() throws InterruptedException {
    if (child != null) {
      toChild.println("quit");
      toChild.flush();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  private String ask(String command) {
    toChild.println(command);
    toChild.flush();
    try {
      String answer = fromChild.readLine();
      assertThat(answer).as("answer of the child to '%s'", command).isNotNull();
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aWriteInEitherProcessRemovesTheKeyFromTheOthersL1() throws IOException {
    int port = redis.servers().startServer();
    String url = "redis://127.0.0.1:" + port + "/0?prefix=two:&near=1000&nearTtl=10m";
    child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        NearCacheWorker.class.getName(), url)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    toChild = new PrintWriter(child.getOutputStream(), false, UTF_8);
    fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
    assertThat(fromChild.readLine()).isEqualTo("ready");

    try (TieredCacheStore parent = (TieredCacheStore) Caches.openStore(url, Clock.systemUTC())) {
      parent.put("k", "v1".getBytes(UTF_8), CacheStore.NEVER);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        ask("get k");
        return ask("get k").equals("k=v1 l1=true");
      });

      parent.put("k", "v2".getBytes(UTF_8), CacheStore.NEVER);
      await().atMost(Duration.ofSeconds(10)).until(() -> ask("get k").startsWith("k=v2 "));
      await().atMost(Duration.ofSeconds(10)).until(() -> ask("get k").equals("k=v2 l1=true"));

      parent.delete("k");
      await().atMost(Duration.ofSeconds(10)).until(() -> ask("get k").equals("k=null l1=false"));

      assertThat(ask("put j c1")).isEqualTo("ok");
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        parent.get("j");
        long hits = parent.tierStatistics().l1Hits();
        return "c1".equals(text(parent.get("j"))) && parent.tierStatistics().l1Hits() > hits;
      });
      assertThat(ask("put j c2")).isEqualTo("ok");
      await().atMost(Duration.ofSeconds(10)).until(() -> "c2".equals(text(parent.get("j"))));
      assertThat(parent.tierStatistics().invalidationsReceived()).isGreaterThanOrEqualTo(1);
    }
  }

  private static String text(Object stored) {
    return stored == null ? null : new String((byte[]) stored, UTF_8);
  }
}
