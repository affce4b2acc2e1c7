package dev.hoard.cache.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Proves a cache survives a process restart: one JVM writes through {@link Caches#open} and dies
 * at once with {@link Runtime#halt} (no close, no shutdown hook, as in a crash right after the
 * writes were acknowledged), then this JVM opens the same URL, checks and changes what it finds,
 * and a third JVM sees those changes.
 */
public final class RestartCheck {

  private static final Duration TTL = Duration.ofHours(1);
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  private RestartCheck() {}

  /** Runs the three processes on {@code url}; {@code scratch} holds the children's output. */
  public static void survivesARestart(String url, Path scratch) throws Exception {
    runChild(url, "write", scratch);
    try (Cache cache = Caches.open(url)) {
      checkWritten(cache);
      assertThat(cache.increment("visits", 1, TTL)).isEqualTo(42);
      cache.delete("kept");
    }
    runChild(url, "reread", scratch);
  }

  private static void write(Cache cache) {
    cache.put("kept", "value", TTL);
    cache.put("number", 7, Cache.FOREVER);
    cache.put("gone", "deleted before the restart", TTL);
    cache.delete("gone");
    cache.increment("visits", 41, TTL);
    cache.scoped("tenant", "a").put("k", "tenant a", TTL);
    cache.tagged("posts").put("p1", "tagged", TTL);
  }

  private static void checkWritten(Cache cache) {
    assertThat(cache.get("kept", String.class)).isEqualTo("value");
    assertThat(cache.get("number", Integer.class)).isEqualTo(7);
    assertThat(cache.contains("gone")).isFalse();
    assertThat(cache.ttl("kept")).hasValueSatisfying(ttl ->
        assertThat(ttl).isBetween(TTL.minusMinutes(10), TTL));
    assertThat(cache.ttl("number")).contains(Cache.FOREVER);
    assertThat(cache.scoped("tenant", "a").get("k", String.class)).isEqualTo("tenant a");
    assertThat(cache.scoped("tenant", "b").get("k", String.class)).isNull();
    assertThat(cache.tagged("posts").get("p1", String.class)).isEqualTo("tagged");
    assertThat(cache.stats().errors()).isZero();
  }

  private static void checkReread(Cache cache) {
    assertThat(cache.increment("visits", 0, TTL)).isEqualTo(42);
    assertThat(cache.get("kept", String.class)).isNull();
    assertThat(cache.get("number", Integer.class)).isEqualTo(7);
  }

  private static void runChild(String url, String step, Path scratch) throws Exception {
    Path output = Files.createTempFile(scratch, "restart-" + step, ".out");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        RestartCheck.class.getName(), url, step)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      child.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(child.isAlive()).as("%s step still running; output:%n%s", step, printed).isFalse();
    assertThat(child.exitValue()).as("%s step exit code; output:%n%s", step, printed).isZero();
    assertThat(printed.lines().toList()).as("%s step output", step).contains("done " + step);
  }

  /** Arguments: the cache URL and the step, {@code write} or {@code reread}. */
  public static void main(String[] args) {
    String url = args[0];
    String step = args[1];
    try {
      Cache cache = Caches.open(url);
      if (step.equals("write")) {
        write(cache);
      } else {
        checkReread(cache);
        cache.close();
      }
      System.out.println("done " + step);
      System.out.flush();
      Runtime.getRuntime().halt(0);
    } catch (Throwable e) {
      e.printStackTrace(System.out);
      System.out.flush();
      Runtime.getRuntime().halt(1);
    }
  }
}
