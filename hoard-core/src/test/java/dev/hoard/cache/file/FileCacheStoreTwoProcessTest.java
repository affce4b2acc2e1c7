package dev.hoard.cache.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.spi.CacheStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs hammer one directory at once: counters must add up exactly and no read may ever see a
 * torn value or another key's value.
 */
class FileCacheStoreTwoProcessTest {

  private static final int OPS = 2_000;
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  @TempDir
  Path temp;

  @Test
  public void twoProcessesShareCountersAndNeverSeeTornValues() throws Exception {
    Path directory = temp.resolve("shared-cache");
    Path childOutput = temp.resolve("child.out");
    long seed = System.nanoTime();
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        FileStoreWorker.class.getName(), directory.toString(), "child", Integer.toString(OPS),
        Long.toString(seed + 1))
        .redirectErrorStream(true)
        .redirectOutput(childOutput.toFile())
        .start();
    FileStoreWorker.Result parent;
    try (FileCacheStore store = FileCacheStore.builder().directory(directory).build()) {
      try {
        parent = FileStoreWorker.run(store, directory, "parent", OPS, seed, 2);
      } finally {
        if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      }
      String output = Files.readString(childOutput, UTF_8);
      assertThat(child.isAlive()).as("child still running after %ss; output:%n%s",
          CHILD_TIMEOUT_SECONDS, output).isFalse();
      assertThat(child.exitValue()).as("child exit code; output:%n%s", output).isZero();
      List<String> done = output.lines().filter(line -> line.startsWith("done child")).toList();
      assertThat(done).as("child output:%n%s", output).singleElement().asString()
          .contains("ops=" + OPS, "badRead=null", "errors=0");
      assertThat(parent.firstBadRead()).as("parent read (seed %s)", seed).isNull();
      assertThat(parent.ops()).isEqualTo(OPS);

      for (int c = 0; c < FileStoreWorker.COUNTERS; c++) {
        assertThat(store.increment("counter:" + c, 0, CacheStore.NEVER))
            .as("counter %s after both processes; parent %s; child %s", c, parent.line(), done)
            .isEqualTo(2L * OPS / FileStoreWorker.COUNTERS);
      }
      for (int k = 0; k < FileStoreWorker.SHARED_KEYS; k++) {
        String key = "shared:" + k;
        Object stored = store.get(key);
        if (stored != null) {
          assertThat(FileStoreWorker.writerOf(key, (byte[]) stored)).as(key).isIn("parent", "child");
        }
      }
      assertThat(store.statistics().errors()).isZero();
    }
  }
}
