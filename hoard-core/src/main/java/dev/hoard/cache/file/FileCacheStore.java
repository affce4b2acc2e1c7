package dev.hoard.cache.file;

import dev.hoard.cache.CacheException;
import dev.hoard.cache.file.internal.DirectoryLayout;
import dev.hoard.cache.file.internal.DirectoryLayout.Location;
import dev.hoard.cache.file.internal.EntryFile;
import dev.hoard.cache.file.internal.EntryFile.CorruptEntryException;
import dev.hoard.cache.file.internal.EntryFile.Entry;
import dev.hoard.cache.file.internal.EntryFile.Header;
import dev.hoard.cache.file.internal.StripeLocks;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CounterFormat;
import dev.hoard.cache.spi.Glob;
import dev.hoard.cache.spi.PurgeSchedule;
import dev.hoard.cache.spi.StoreCapability;
import dev.hoard.cache.spi.StoreStatistics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store that keeps one file per key under a directory: zero-setup persistence that several
 * processes on one machine can share.
 *
 * <p>Each entry is a file named by the SHA-256 of its key, fanned out into 256 subdirectories,
 * holding a header (format version, expiry, the key itself), the value and a checksum. Writes go to
 * a temporary file in the same directory and are renamed over the entry atomically, so a reader
 * sees the old file or the new one, never a torn one; plain reads therefore take no lock.
 * Read-modify-write operations ({@code increment}, {@code putIfAbsent}, {@code touch}) and plain
 * writes ({@code put}, {@code delete}) hold one of 256 striped locks that work across processes
 * ({@link java.nio.channels.FileLock} on {@code .locks/<stripe>.lock}), so a counter never loses an
 * increment and a put is never lost inside another process's read-modify-write.
 *
 * <p>Expired entries are deleted when a read finds them and by a periodic purge ({@link
 * #purgeExpired()}) on a daemon thread, which also removes temporary files a crashed writer left
 * behind. A damaged file (bad header, checksum mismatch, another key's content) reads as a miss, is
 * deleted and counted in {@link StoreStatistics#errors()}; other keys are unaffected. Files are not
 * forced to disk: after a power loss an entry may be gone or read as damaged, never wrong.
 *
 * <p>Meant for a local file system: file locks on network file systems are often unreliable. Do
 * not delete {@code .locks} while processes use the directory.
 */
public final class FileCacheStore implements CacheStore {

  /** How often expired files are purged when no interval is given. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(5);

  /** How old a temporary file must be before the purge takes it for a crashed writer's leftover. */
  public static final Duration STALE_TEMP_FILE_AGE = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(FileCacheStore.class);
  private static final String MISPLACED = "file holds another key than the one it is named for";
  private static final Entry DAMAGED = new Entry(Long.MIN_VALUE, new byte[0]);

  private final DirectoryLayout layout;
  private final Clock clock;
  private final StripeLocks locks;
  private final PurgeSchedule purger;
  private final String description;
  private final LongAdder expirations = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();

  private FileCacheStore(Builder builder) {
    Path directory = prepare(builder.directory.toAbsolutePath().normalize());
    this.layout = new DirectoryLayout(directory);
    this.clock = builder.clock;
    this.description = "file " + directory;
    try {
      this.locks = StripeLocks.open(layout);
    } catch (IOException e) {
      throw unusable(directory, e);
    }
    this.purger = PurgeSchedule.start(
        "hoard-file-purge " + directory, builder.purgeInterval, description, this::purgeExpired);
  }

  /** Starts configuring a file store. */
  public static Builder builder() {
    return new Builder();
  }

  private static Path prepare(Path directory) {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new IllegalArgumentException(
          "cache directory " + directory + " is not a directory; point the file store at a"
              + " directory, or remove the file so the store can create one there");
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw unusable(directory, e);
    }
    if (!Files.isWritable(directory)) {
      throw new IllegalArgumentException(
          "cache directory " + directory + " is not writable by this process; grant write"
              + " permission or choose another directory");
    }
    return directory;
  }

  private static IllegalArgumentException unusable(Path directory, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileAlreadyExistsException ? "a file is in the way" : e.toString();
    return new IllegalArgumentException(
        "cannot create or use cache directory " + directory + " (" + why + "); choose a"
            + " directory this process can create and write to", e);
  }

  /** The directory the entries live in. */
  public Path directory() {
    return layout.root();
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Set<StoreCapability> capabilities() {
    return EnumSet.of(StoreCapability.KEY_SCAN, StoreCapability.PERSISTENT, StoreCapability.SHARED);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Object get(String key) {
    Location at = locate(key);
    return io("read", key, () -> {
      Entry entry = readUnlocked(at);
      if (entry == null) {
        return null;
      }
      if (isLive(entry.expiresAt())) {
        return entry.value();
      }
      // expired or damaged: decide and delete under the lock, since a writer may have replaced it
      Entry current = locks.locked(at.stripe(), () -> readDroppingDead(at));
      return current == null ? null : current.value();
    });
  }

  @Override
  public long expiresAt(String key) {
    Location at = locate(key);
    return io("read the expiry of", key, () -> {
      Entry entry = readUnlocked(at);
      if (entry == null) {
        return ABSENT;
      }
      if (isLive(entry.expiresAt())) {
        return entry.expiresAt();
      }
      Entry current = locks.locked(at.stripe(), () -> readDroppingDead(at));
      return current == null ? ABSENT : current.expiresAt();
    });
  }

  @Override
  public void put(String key, Object value, long expiresAt) {
    Location at = locate(key);
    byte[] bytes = bytesOf(key, value);
    io("write", key, () -> locks.locked(at.stripe(), () -> {
      write(at, bytes, expiresAt);
      return null;
    }));
  }

  @Override
  public boolean putIfAbsent(String key, Object value, long expiresAt) {
    Location at = locate(key);
    byte[] bytes = bytesOf(key, value);
    return io("write", key, () -> locks.locked(at.stripe(), () -> {
      if (readDroppingDead(at) != null) {
        return false;
      }
      write(at, bytes, expiresAt);
      return true;
    }));
  }

  @Override
  public boolean delete(String key) {
    Location at = locate(key);
    return io("delete", key, () -> locks.locked(at.stripe(), () -> {
      if (readDroppingDead(at) == null) {
        return false;
      }
      return Files.deleteIfExists(at.file());
    }));
  }

  @Override
  public long increment(String key, long delta, long expiresAtIfCreated) {
    Location at = locate(key);
    return io("increment", key, () -> locks.locked(at.stripe(), () -> {
      Entry entry = readDroppingDead(at);
      long next = entry == null ? delta : Math.addExact(CounterFormat.decode(key, entry.value()), delta);
      write(at, CounterFormat.encode(next), entry == null ? expiresAtIfCreated : entry.expiresAt());
      return next;
    }));
  }

  @Override
  public boolean touch(String key, long expiresAt) {
    Location at = locate(key);
    return io("touch", key, () -> locks.locked(at.stripe(), () -> {
      Entry entry = readDroppingDead(at);
      if (entry == null) {
        return false;
      }
      write(at, entry.value(), expiresAt);
      return true;
    }));
  }

  /**
   * The live keys matching the glob, found by walking the directory lazily and reading each file's
   * header; keys are unordered. Close the stream to release the directory handles.
   */
  @Override
  public Stream<String> keys(Glob glob) {
    Objects.requireNonNull(glob, "glob");
    checkOpen();
    long now = clock.millis();
    return entryFiles().map(file -> liveKeyOrNull(file, now))
        .filter(key -> key != null && glob.matches(key));
  }

  private String liveKeyOrNull(Path file, long now) {
    try {
      Header header = EntryFile.readHeader(file);
      if (header == null || header.expiresAt() <= now) {
        return null;
      }
      return EntryFile.keyString(header.key());
    } catch (CorruptEntryException e) {
      return null; // the purge or the next read of that key counts and removes it
    } catch (IOException e) {
      throw new CacheException(description + " failed to read " + file + ": " + e, e);
    }
  }

  /** Deletes every entry file under the directory; temporary files of writers in flight stay. */
  @Override
  public void clear() {
    checkOpen();
    try (Stream<Path> files = entryFiles()) {
      files.forEach(file -> {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new CacheException(description + " failed to delete " + file + ": " + e, e);
        }
      });
    }
  }

  /**
   * Deletes expired entries and damaged files now, and temporary files older than {@link
   * #STALE_TEMP_FILE_AGE}; the periodic purge calls this.
   *
   * @return how many expired entries were deleted
   */
  public long purgeExpired() {
    checkOpen();
    long now = clock.millis();
    long removed = 0;
    try {
      for (Path fanOut : layout.fanOutDirectories()) {
        int stripe = DirectoryLayout.stripeOf(fanOut);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fanOut)) {
          for (Path file : files) {
            if (DirectoryLayout.isEntryFile(file)) {
              removed += purgeEntry(file, stripe, now);
            } else if (DirectoryLayout.isTempFile(file)) {
              purgeTempFile(file, now);
            }
          }
        } catch (NoSuchFileException e) {
          // someone removed the fan-out directory: nothing left to purge in it
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new CacheException(description + " failed to purge expired entries: " + e, e);
    }
    return removed;
  }

  private int purgeEntry(Path file, int stripe, long now) throws IOException {
    if (!isDeadOrDamaged(file, now)) {
      return 0;
    }
    return locks.locked(stripe, () -> {
      Header header;
      try {
        header = EntryFile.readHeader(file);
      } catch (CorruptEntryException e) {
        dropDamaged(file, e.getMessage());
        return 0;
      }
      if (header == null) {
        return 0;
      }
      if (!DirectoryLayout.belongsTo(file, header.key())) {
        dropDamaged(file, MISPLACED);
        return 0;
      }
      if (header.expiresAt() > now || !Files.deleteIfExists(file)) {
        return 0;
      }
      expirations.increment();
      return 1;
    });
  }

  private static boolean isDeadOrDamaged(Path file, long now) throws IOException {
    try {
      Header header = EntryFile.readHeader(file);
      return header != null
          && (header.expiresAt() <= now || !DirectoryLayout.belongsTo(file, header.key()));
    } catch (CorruptEntryException e) {
      return true;
    }
  }

  private void purgeTempFile(Path file, long now) throws IOException {
    try {
      long modified = Files.getLastModifiedTime(file).toMillis();
      if (now - modified > STALE_TEMP_FILE_AGE.toMillis()) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException e) {
      // its writer renamed or removed it meanwhile
    }
  }

  @Override
  public StoreStatistics statistics() {
    return new StoreStatistics(0, expirations.sum(), errors.sum(), -1);
  }

  /** Stops the purge thread and releases the lock files; entries stay on disk. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      purger.close();
      locks.release();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private Location locate(String key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return layout.locate(EntryFile.keyBytes(key));
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException(description + " is closed; open a new store");
    }
  }

  private static byte[] bytesOf(String key, Object value) {
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    throw new IllegalArgumentException(
        "the file store keeps byte[] values, got a "
            + (value == null ? "null" : value.getClass().getName()) + " for key '" + key
            + "'; put it through a codec first");
  }

  private boolean isLive(long expiresAt) {
    return expiresAt > clock.millis();
  }

  /**
   * Reads without the lock; a damaged file reads as {@link #DAMAGED}, which is never live, so the
   * caller re-reads it under the lock before dropping it.
   */
  private static Entry readUnlocked(Location at) throws IOException {
    try {
      return EntryFile.read(at.file(), at.key());
    } catch (CorruptEntryException e) {
      return DAMAGED;
    }
  }

  /**
   * Reads the entry with its stripe held, deleting it if it expired or is damaged; returns the live
   * entry or null.
   */
  private Entry readDroppingDead(Location at) throws IOException {
    Entry entry;
    try {
      entry = EntryFile.read(at.file(), at.key());
    } catch (CorruptEntryException e) {
      dropDamaged(at.file(), e.getMessage());
      return null;
    }
    if (entry == null) {
      return null;
    }
    if (!isLive(entry.expiresAt())) {
      if (Files.deleteIfExists(at.file())) {
        expirations.increment();
      }
      return null;
    }
    return entry;
  }

  private void dropDamaged(Path file, String reason) throws IOException {
    if (Files.deleteIfExists(file)) {
      errors.increment();
      log.warn("{}: deleted damaged cache file {}: {}", description, file, reason);
    }
  }

  /** Writes a temporary file and renames it over the entry; call with the stripe held. */
  private static void write(Location at, byte[] value, long expiresAt) throws IOException {
    Path temp = DirectoryLayout.tempFileFor(at.file());
    try {
      try {
        EntryFile.write(temp, at.key(), expiresAt, value);
      } catch (NoSuchFileException e) {
        Files.createDirectories(temp.getParent());
        EntryFile.write(temp, at.key(), expiresAt, value);
      }
      Files.move(temp, at.file(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Every entry file, listed lazily one fan-out directory at a time. */
  private Stream<Path> entryFiles() {
    List<Path> fanOuts;
    try {
      fanOuts = layout.fanOutDirectories();
    } catch (IOException e) {
      throw new CacheException(description + " failed to list its directory: " + e, e);
    }
    return fanOuts.stream().flatMap(this::entryFilesIn);
  }

  private Stream<Path> entryFilesIn(Path fanOut) {
    try {
      // Files.list does not stat each file, so files deleted during the walk do not break it
      return Files.list(fanOut).filter(DirectoryLayout::isEntryFile);
    } catch (NoSuchFileException e) {
      return Stream.empty();
    } catch (IOException e) {
      throw new CacheException(description + " failed to list " + fanOut + ": " + e, e);
    }
  }

  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs file work for one operation. A pending interrupt is set aside meanwhile and restored after:
   * NIO channels close themselves on interrupt, which would fail a short cache operation for an
   * interrupt meant for something else.
   */
  private <T> T io(String operation, String key, IoAction<T> action) {
    boolean interrupted = Thread.interrupted();
    try {
      return action.run();
    } catch (IOException e) {
      throw new CacheException(
          description + " failed to " + operation + " key '" + key + "': " + e, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Configures a {@link FileCacheStore}. */
  public static final class Builder {
    private Path directory;
    private Clock clock = Clock.systemUTC();
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;

    private Builder() {}

    /** The directory entries live in; created if missing. Required. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The clock expiry is measured with; tests pass one they can advance. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How often the background purge runs, each wait jittered by ±50% so that processes sharing
     * the directory do not purge in lockstep; {@link #DEFAULT_PURGE_INTERVAL} unless set.
     */
    public Builder purgeInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("purgeInterval must be positive, was " + interval);
      }
      this.purgeInterval = interval;
      return this;
    }

    /**
     * Builds the store, creating the directory if needed.
     *
     * @throws IllegalArgumentException if the directory cannot be created or written
     * @throws IllegalStateException if no directory was given
     */
    public FileCacheStore build() {
      if (directory == null) {
        throw new IllegalStateException("a file store needs a directory: call directory(Path)");
      }
      return new FileCacheStore(this);
    }
  }
}
