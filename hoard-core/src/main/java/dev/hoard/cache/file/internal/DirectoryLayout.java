package dev.hoard.cache.file.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Where the file store keeps things under its directory: an entry lives at {@code
 * <hh>/<sha256-hex>.entry}, where the hex is the SHA-256 of the key's UTF-8 bytes and {@code hh}
 * its first byte; temporary files sit next to their entry as {@code <sha256-hex>.<random>.tmp};
 * lock files are {@code .locks/<hh>.lock}. The first byte of the hash is also the lock stripe, so
 * the 256 fan-out directories and the 256 stripes line up.
 */
public final class DirectoryLayout {

  /** How many lock stripes (and fan-out directories) there are. */
  public static final int STRIPES = 256;

  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern FAN_OUT = Pattern.compile("[0-9a-f]{2}");
  private static final Pattern ENTRY = Pattern.compile("[0-9a-f]{64}\\.entry");
  private static final Pattern TEMP = Pattern.compile("[0-9a-f]{64}\\.[0-9a-f]{16}\\.tmp");
  private static final String ENTRY_SUFFIX = ".entry";

  private final Path root;

  /** A layout rooted at {@code root}. */
  public DirectoryLayout(Path root) {
    this.root = root;
  }

  /** Where one key's entry file lives and which stripe guards it. */
  public record Location(byte[] key, Path file, int stripe) {}

  /** The directory everything lives under. */
  public Path root() {
    return root;
  }

  /** The directory holding the lock files. */
  public Path lockDirectory() {
    return root.resolve(".locks");
  }

  /** The lock file of a stripe. */
  public Path lockFile(int stripe) {
    return lockDirectory().resolve(HEX.toHexDigits((byte) stripe) + ".lock");
  }

  /** Locates the entry of a key given as its UTF-8 bytes. */
  public Location locate(byte[] key) {
    byte[] hash = sha256(key);
    String hex = HEX.formatHex(hash);
    Path file = root.resolve(hex.substring(0, 2)).resolve(hex + ENTRY_SUFFIX);
    return new Location(key, file, hash[0] & 0xff);
  }

  /** A fresh temporary file name next to {@code entryFile}, unique per writer. */
  public static Path tempFileFor(Path entryFile) {
    String name = entryFile.getFileName().toString();
    String hash = name.substring(0, name.length() - ENTRY_SUFFIX.length());
    return entryFile.resolveSibling(
        hash + "." + HEX.toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  /** The fan-out directories that exist now; files and other names are left out. */
  public List<Path> fanOutDirectories() throws IOException {
    List<Path> directories = new ArrayList<>(STRIPES);
    try (DirectoryStream<Path> children = Files.newDirectoryStream(
        root, child -> FAN_OUT.matcher(child.getFileName().toString()).matches()
            && Files.isDirectory(child))) {
      children.forEach(directories::add);
    }
    return directories;
  }

  /** The stripe of the entries inside a fan-out directory. */
  public static int stripeOf(Path fanOutDirectory) {
    return HexFormat.fromHexDigits(fanOutDirectory.getFileName().toString());
  }

  /** Whether a file name is one of the store's entry files. */
  public static boolean isEntryFile(Path file) {
    return ENTRY.matcher(file.getFileName().toString()).matches();
  }

  /** Whether a file name is one of the store's temporary files. */
  public static boolean isTempFile(Path file) {
    return TEMP.matcher(file.getFileName().toString()).matches();
  }

  /** Whether {@code key} hashes to the name of {@code entryFile}; a mismatch means a misplaced file. */
  public static boolean belongsTo(Path entryFile, byte[] key) {
    return entryFile.getFileName().toString().startsWith(HEX.formatHex(sha256(key)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
