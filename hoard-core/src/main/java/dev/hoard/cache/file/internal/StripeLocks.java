package dev.hoard.cache.file.internal;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks over one store directory that exclude other threads of this JVM and other
 * processes alike: a stripe is held by taking its {@link ReentrantLock}, then an exclusive {@link
 * FileLock} on the stripe's lock file.
 *
 * <p>A file lock belongs to the whole JVM, and a second overlapping lock from the same JVM throws
 * {@link java.nio.channels.OverlappingFileLockException} instead of waiting. So every store in a
 * JVM that opens the same directory shares one instance (by real path), and the in-JVM lock makes
 * sure at most one thread per stripe is inside {@link FileChannel#lock()}.
 */
public final class StripeLocks {

  private static final Map<Path, StripeLocks> OPEN = new HashMap<>();

  private final Path realDirectory;
  private final DirectoryLayout layout;
  private final ReentrantLock[] locks = new ReentrantLock[DirectoryLayout.STRIPES];
  private final FileChannel[] channels = new FileChannel[DirectoryLayout.STRIPES];
  private int users;

  private StripeLocks(Path realDirectory) {
    this.realDirectory = realDirectory;
    this.layout = new DirectoryLayout(realDirectory);
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Work done while a stripe is held. */
  @FunctionalInterface
  public interface LockedAction<T> {
    /** Runs with the stripe held. */
    T run() throws IOException;
  }

  /**
   * The locks of the store directory {@code layout} describes, shared with every other user in this
   * JVM; {@link #release()} when done.
   */
  public static StripeLocks open(DirectoryLayout layout) throws IOException {
    Files.createDirectories(layout.lockDirectory());
    Path real = layout.root().toRealPath();
    synchronized (OPEN) {
      StripeLocks locks = OPEN.computeIfAbsent(real, StripeLocks::new);
      locks.users++;
      return locks;
    }
  }

  /** Gives this user's share back; the last user closes the lock files. */
  public void release() {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(realDirectory);
    }
    for (int stripe = 0; stripe < channels.length; stripe++) {
      locks[stripe].lock();
      try {
        closeQuietly(channels[stripe]);
        channels[stripe] = null;
      } finally {
        locks[stripe].unlock();
      }
    }
  }

  /**
   * Runs {@code action} holding the stripe against this JVM's threads and other processes.
   *
   * <p>Waiting for the lock is not interruptible: an interrupt closes a {@link FileChannel}, which
   * would drop the lock file for every thread. A pending interrupt is set aside while the action
   * runs and restored afterwards, and an interrupt that arrives while waiting reopens the lock file
   * and waits again.
   */
  public <T> T locked(int stripe, LockedAction<T> action) throws IOException {
    boolean interrupted = Thread.interrupted();
    ReentrantLock lock = locks[stripe];
    lock.lock();
    try {
      FileLock fileLock = null;
      while (fileLock == null) {
        try {
          fileLock = channel(stripe).lock();
        } catch (FileLockInterruptionException | ClosedByInterruptException e) {
          interrupted |= Thread.interrupted();
        }
      }
      try {
        return action.run();
      } finally {
        releaseQuietly(fileLock);
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private FileChannel channel(int stripe) throws IOException {
    FileChannel channel = channels[stripe];
    if (channel == null || !channel.isOpen()) {
      Path lockFile = layout.lockFile(stripe);
      Files.createDirectories(lockFile.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channels[stripe] = channel;
    }
    return channel;
  }

  private static void releaseQuietly(FileLock fileLock) throws IOException {
    try {
      fileLock.release();
    } catch (ClosedChannelException e) {
      // a closed channel has dropped its locks already
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // closing a lock file only releases locks, which a failed close releases as well
    }
  }
}
