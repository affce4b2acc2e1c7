package dev.hoard.cache.file;

import dev.hoard.cache.file.internal.DirectoryLayout;
import dev.hoard.cache.file.internal.EntryFile;
import dev.hoard.cache.spi.CacheStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * One side of the two-process test: increments shared counters and writes and reads
 * self-validating values on shared keys, checking that every read is absent or complete and
 * belongs to its key. Run by the test in its own JVM and as a child process through {@link #main}.
 */
final class FileStoreWorker {

  static final int COUNTERS = 4;
  static final int SHARED_KEYS = 16;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** What one worker saw. */
  record Result(String name, int ops, long foreignReads, long absentReads, String firstBadRead) {
    String line() {
      return "done " + name + " ops=" + ops + " foreignReads=" + foreignReads
          + " absentReads=" + absentReads + " badRead=" + firstBadRead;
    }
  }

  private FileStoreWorker() {}

  /** Arguments: directory, worker name, operations, random seed. Exit code 0 when every read was valid. */
  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    try (FileCacheStore store = FileCacheStore.builder().directory(directory).build()) {
      Result result = run(store, directory, args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), 2);
      System.out.println(result.line() + " errors=" + store.statistics().errors());
      System.exit(result.firstBadRead() == null ? 0 : 2);
    }
  }

  /**
   * Waits until {@code parties} workers have arrived (counted in the store itself, so both
   * processes start hammering together), then runs {@code ops} rounds.
   */
  static Result run(
      CacheStore store, Path directory, String name, int ops, long seed, int parties) {
    store.increment("barrier", 1, CacheStore.NEVER);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (store.increment("barrier", 0, CacheStore.NEVER) < parties) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + ": the other worker did not start within " + START_TIMEOUT);
      }
      Thread.onSpinWait();
    }
    Random random = new Random(seed);
    long foreign = 0;
    long absent = 0;
    for (int i = 0; i < ops; i++) {
      store.increment("counter:" + (i % COUNTERS), 1, CacheStore.NEVER);
      String written = "shared:" + random.nextInt(SHARED_KEYS);
      if (random.nextInt(10) == 0) {
        store.delete(written);
      } else {
        store.put(written, value(written, name, i, random.nextInt(8192)), CacheStore.NEVER);
      }
      String read = "shared:" + random.nextInt(SHARED_KEYS);
      String raw = rawRead(directory, read);
      if (raw != null) {
        return new Result(name, i, foreign, absent, raw);
      }
      Object stored = store.get(read);
      if (stored == null) {
        absent++;
        continue;
      }
      String writer = writerOf(read, (byte[]) stored);
      if (writer == null) {
        return new Result(name, i, foreign, absent, describe(read, (byte[]) stored));
      }
      if (!writer.equals(name)) {
        foreign++;
      }
    }
    return new Result(name, ops, foreign, absent, null);
  }

  /**
   * Reads the key's file directly, bypassing the store's own recovery (which would re-read a
   * damaged file under the lock): with writes renamed into place the file on disk is never torn.
   * Returns a description of a damaged file, or null.
   */
  private static String rawRead(Path directory, String key) {
    try {
      EntryFile.read(new DirectoryLayout(directory).locate(EntryFile.keyBytes(key)).file(),
          EntryFile.keyBytes(key));
      return null;
    } catch (EntryFile.CorruptEntryException e) {
      return "file of " + key + " is damaged on disk: " + e.getMessage();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code key:writer:sequence:padding:crc}, where the CRC covers everything before it. */
  static byte[] value(String key, String writer, int sequence, int padding) {
    String body = key + ":" + writer + ":" + sequence + ":" + "x".repeat(padding);
    return (body + ":" + crc(body)).getBytes(StandardCharsets.UTF_8);
  }

  /** The writer of a valid value for {@code key}, or null if the value is torn or another key's. */
  static String writerOf(String key, byte[] stored) {
    String text = new String(stored, StandardCharsets.UTF_8);
    int lastColon = text.lastIndexOf(':');
    if (lastColon < 0 || !text.startsWith(key + ":")) {
      return null;
    }
    String body = text.substring(0, lastColon);
    if (!text.substring(lastColon + 1).equals(crc(body))) {
      return null;
    }
    String rest = body.substring(key.length() + 1);
    return rest.substring(0, rest.indexOf(':'));
  }

  private static String describe(String key, byte[] stored) {
    String text = new String(stored, StandardCharsets.UTF_8);
    return "key " + key + " read " + stored.length + " bytes: "
        + (text.length() > 80 ? text.substring(0, 40) + "…" + text.substring(text.length() - 40) : text);
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}
