package dev.hoard.cache.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.file.internal.DirectoryLayout;
import dev.hoard.cache.file.internal.EntryFile;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the file store does beyond the contract: damaged files, persistence, purge, URLs, bad input. */
class FileCacheStoreTest {

  @TempDir
  Path temp;

  private final ManualClock clock = new ManualClock();
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private Path directory() {
    return temp.resolve("cache");
  }

  private FileCacheStore open() {
    FileCacheStore store = FileCacheStore.builder().directory(directory()).clock(clock).build();
    opened.add(store);
    return store;
  }

  private Path fileOf(String key) {
    return new DirectoryLayout(directory()).locate(EntryFile.keyBytes(key)).file();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static String text(Object stored) {
    return new String((byte[]) stored, UTF_8);
  }

  private long in(Duration ttl) {
    return clock.millis() + ttl.toMillis();
  }

  private long filesOnDisk() throws IOException {
    try (Stream<Path> files = Files.walk(directory())) {
      return files.filter(DirectoryLayout::isEntryFile).count();
    }
  }

  /** Ways a file can be damaged on disk. */
  enum Damage {
    EMPTY(bytes -> new byte[0]),
    SHORTER_THAN_HEADER(bytes -> java.util.Arrays.copyOf(bytes, 10)),
    TRUNCATED_VALUE(bytes -> java.util.Arrays.copyOf(bytes, bytes.length - 3)),
    BAD_MAGIC(bytes -> flip(bytes, 0)),
    BAD_VERSION(bytes -> flip(bytes, 4)),
    FLIPPED_EXPIRY(bytes -> flip(bytes, 8)),
    HUGE_KEY_LENGTH(bytes -> flip(bytes, 13)),
    FLIPPED_KEY_BYTE(bytes -> flip(bytes, 22)),
    FLIPPED_VALUE_BYTE(bytes -> flip(bytes, bytes.length - 6)),
    GARBAGE(bytes -> {
      byte[] garbage = new byte[bytes.length];
      new Random(42).nextBytes(garbage);
      return garbage;
    });

    final UnaryOperator<byte[]> apply;

    Damage(UnaryOperator<byte[]> apply) {
      this.apply = apply;
    }

    private static byte[] flip(byte[] bytes, int index) {
      byte[] copy = bytes.clone();
      copy[index] ^= (byte) 0x5a;
      return copy;
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedFileIsAMissCountedAndRemovedWhileOtherKeysStay(Damage damage) throws IOException {
    FileCacheStore store = open();
    store.put("victim", bytes("value of the victim"), in(Duration.ofHours(1)));
    store.put("neighbour", bytes("n"), CacheStore.NEVER);
    store.increment("counter", 7, CacheStore.NEVER);
    Path file = fileOf("victim");
    Files.write(file, damage.apply.apply(Files.readAllBytes(file)));

    assertThat(store.get("victim")).isNull();
    assertThat(store.statistics().errors()).isEqualTo(1);
    assertThat(file).doesNotExist();
    assertThat(text(store.get("neighbour"))).isEqualTo("n");
    assertThat(store.increment("counter", 0, CacheStore.NEVER)).isEqualTo(7);
    try (Stream<String> keys = store.keys(Glob.of("*"))) {
      assertThat(keys).containsExactlyInAnyOrder("neighbour", "counter");
    }
    assertThat(store.statistics().errors()).isEqualTo(1);
  }

  @Test
  void anotherKeysFileInPlaceIsAMiss() throws IOException {
    FileCacheStore store = open();
    store.put("a", bytes("for a"), CacheStore.NEVER);
    store.put("b", bytes("for b"), CacheStore.NEVER);
    Files.copy(fileOf("b"), fileOf("a"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThat(store.get("a")).isNull();
    assertThat(store.statistics().errors()).isEqualTo(1);
    assertThat(fileOf("a")).doesNotExist();
    assertThat(text(store.get("b"))).isEqualTo("for b");
  }

  @Test
  void writesAndCountersOnADamagedFileStartAfresh() throws IOException {
    FileCacheStore store = open();
    store.increment("hits", 5, CacheStore.NEVER);
    store.put("slot", bytes("old"), CacheStore.NEVER);
    Files.write(fileOf("hits"), bytes("garbage"));
    Files.write(fileOf("slot"), bytes("garbage"));

    assertThat(store.increment("hits", 1, CacheStore.NEVER)).isEqualTo(1);
    assertThat(store.putIfAbsent("slot", bytes("new"), CacheStore.NEVER)).isTrue();
    assertThat(text(store.get("slot"))).isEqualTo("new");
    assertThat(store.statistics().errors()).isEqualTo(2);
  }

  @Test
  void thePurgeRemovesDamagedFilesNobodyReads() throws IOException {
    FileCacheStore store = open();
    store.put("victim", bytes("v"), CacheStore.NEVER);
    store.put("neighbour", bytes("n"), CacheStore.NEVER);
    Files.write(fileOf("victim"), bytes("garbage"));

    assertThat(store.purgeExpired()).isZero();
    assertThat(fileOf("victim")).doesNotExist();
    assertThat(store.statistics().errors()).isEqualTo(1);
    assertThat(text(store.get("neighbour"))).isEqualTo("n");
  }

  @Test
  void entriesSurviveAReopenButExpiredOnesDoNot() {
    FileCacheStore first = open();
    long inAnHour = in(Duration.ofHours(1));
    first.put("forever", bytes("f"), CacheStore.NEVER);
    first.put("hour", bytes("h"), inAnHour);
    first.put("minute", bytes("m"), in(Duration.ofMinutes(1)));
    first.increment("visits", 3, CacheStore.NEVER);
    first.close();

    clock.advance(Duration.ofMinutes(2));
    FileCacheStore second = open();
    assertThat(text(second.get("forever"))).isEqualTo("f");
    assertThat(text(second.get("hour"))).isEqualTo("h");
    assertThat(second.expiresAt("hour")).isEqualTo(inAnHour);
    assertThat(second.get("minute")).isNull();
    assertThat(second.increment("visits", 1, CacheStore.NEVER)).isEqualTo(4);
    try (Stream<String> keys = second.keys(Glob.of("*"))) {
      assertThat(keys).containsExactlyInAnyOrder("forever", "hour", "visits");
    }
  }

  @Test
  void purgeRemovesExpiredFilesAndKeepsLiveOnes() throws IOException {
    FileCacheStore store = open();
    for (int i = 0; i < 10; i++) {
      store.put("short:" + i, bytes("s"), in(Duration.ofMinutes(1)));
      store.put("long:" + i, bytes("l"), in(Duration.ofHours(1)));
    }
    store.put("never", bytes("n"), CacheStore.NEVER);
    assertThat(store.purgeExpired()).isZero();
    assertThat(filesOnDisk()).isEqualTo(21);

    clock.advance(Duration.ofMinutes(2));
    assertThat(store.purgeExpired()).isEqualTo(10);
    assertThat(filesOnDisk()).isEqualTo(11);
    assertThat(store.statistics().expirations()).isEqualTo(10);
    assertThat(text(store.get("long:3"))).isEqualTo("l");
    assertThat(text(store.get("never"))).isEqualTo("n");
    assertThat(store.purgeExpired()).isZero();
  }

  @Test
  void aReadDeletesTheExpiredFileItFinds() {
    FileCacheStore store = open();
    store.put("k", bytes("v"), in(Duration.ofMinutes(1)));
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.get("k")).isNull();
    assertThat(fileOf("k")).doesNotExist();
    assertThat(store.statistics().expirations()).isEqualTo(1);
  }

  @Test
  void purgeRemovesTemporaryFilesOfCrashedWritersOnceStale() throws IOException {
    FileCacheStore store = open();
    store.put("k", bytes("v"), CacheStore.NEVER);
    Path entry = fileOf("k");
    Path leftover = DirectoryLayout.tempFileFor(entry);
    Files.write(leftover, bytes("half a wri"));
    Files.setLastModifiedTime(leftover, FileTime.fromMillis(clock.millis()));

    store.purgeExpired();
    assertThat(leftover).exists();
    clock.advance(FileCacheStore.STALE_TEMP_FILE_AGE.plusMinutes(1));
    store.purgeExpired();
    assertThat(leftover).doesNotExist();
    assertThat(text(store.get("k"))).isEqualTo("v");
  }

  @Test
  void clearAndPurgeLeaveForeignFilesAlone() throws IOException {
    FileCacheStore store = open();
    store.put("k", bytes("v"), CacheStore.NEVER);
    Path readme = Files.writeString(directory().resolve("README.txt"), "mine");
    Path nested = Files.writeString(fileOf("k").resolveSibling("notes.txt"), "mine too");
    store.clear();
    clock.advance(Duration.ofDays(1));
    store.purgeExpired();
    assertThat(store.get("k")).isNull();
    assertThat(readme).hasContent("mine");
    assertThat(nested).hasContent("mine too");
  }

  @Test
  void entryFilesAreHashedAndFannedOut() {
    FileCacheStore store = open();
    store.put("../../etc/passwd", bytes("v"), CacheStore.NEVER);
    Path file = fileOf("../../etc/passwd");
    assertThat(file).exists();
    assertThat(file.getParent().getParent()).isEqualTo(directory().toAbsolutePath());
    assertThat(file.getFileName().toString()).matches("[0-9a-f]{64}\\.entry")
        .startsWith(file.getParent().getFileName().toString());
  }

  @Test
  void twoStoresInOneJvmOnOneDirectoryShareTheLocks() throws Exception {
    FileCacheStore first = open();
    FileCacheStore second = open();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        FileCacheStore store = t % 2 == 0 ? first : second;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            store.increment("shared", 1, CacheStore.NEVER);
          }
        }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(first.increment("shared", 0, CacheStore.NEVER)).isEqualTo(800);
    first.close();
    assertThat(second.increment("shared", 1, CacheStore.NEVER)).isEqualTo(801);
  }

  @Test
  void aPendingInterruptDoesNotBreakTheStoreAndIsKept() {
    FileCacheStore store = open();
    Thread.currentThread().interrupt();
    try {
      store.put("k", bytes("v"), CacheStore.NEVER);
      assertThat(store.increment("c", 1, CacheStore.NEVER)).isEqualTo(1);
      assertThat(text(store.get("k"))).isEqualTo("v");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(store.increment("c", 1, CacheStore.NEVER)).isEqualTo(2);
  }

  @Test
  void refusesValuesThatAreNotBytes() {
    FileCacheStore store = open();
    assertThatThrownBy(() -> store.put("k", "a string", CacheStore.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String").hasMessageContaining("'k'");
  }

  @Test
  void aRegularFileAsDirectoryIsRefusedClearly() throws IOException {
    Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
    assertThatThrownBy(() -> FileCacheStore.builder().directory(file).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> FileCacheStore.builder().directory(file.resolve("below")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.resolve("below").toString());
  }

  @Test
  void aStoreWithoutDirectoryIsRefused() {
    assertThatThrownBy(() -> FileCacheStore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("directory(Path)");
  }

  @Test
  void aClosedStoreSaysSo() {
    FileCacheStore store = open();
    store.close();
    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void opensThroughTheServiceLoaderFromAFileUrl() {
    try (Cache cache = Caches.open("file://" + directory().toAbsolutePath(), clock)) {
      cache.put("greeting", "hello", Duration.ofMinutes(5));
      assertThat(cache.get("greeting", String.class)).isEqualTo("hello");
    }
    CacheStore store = Caches.openStore(
        "file://" + directory().toAbsolutePath() + "?purgeInterval=5m", clock);
    opened.add(store);
    assertThat(store).isInstanceOf(FileCacheStore.class);
    assertThat(store.description()).contains(directory().toAbsolutePath().toString());
  }

  @Test
  void relativeFileUrlsResolveAgainstTheWorkingDirectory() {
    Path workingDirectory = Path.of("").toAbsolutePath();
    Path relative = workingDirectory.relativize(directory().toAbsolutePath());
    for (String url : List.of("file:./" + relative, "file:" + relative)) {
      FileCacheStore store = (FileCacheStore) Caches.openStore(url, clock);
      opened.add(store);
      assertThat(store.directory()).as(url).isEqualTo(directory().toAbsolutePath());
    }
  }

  @Test
  void badFileUrlsAreRefusedNamingTheProblem() {
    String base = "file://" + directory().toAbsolutePath();
    assertThatThrownBy(() -> Caches.open(base + "?purgeIntervall=5m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purgeIntervall");
    assertThatThrownBy(() -> Caches.open(base + "?purgeInterval=soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purgeInterval").hasMessageContaining("soon");
    assertThatThrownBy(() -> Caches.open("file://cache/dir"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cache'").hasMessageContaining("file:///");
    assertThatThrownBy(() -> Caches.open("file://"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no directory");
  }
}
