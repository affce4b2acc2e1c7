package dev.hoard.ratelimit.internal;

/**
 * Builds store keys ({@code prefix + key + suffix}) and remembers the most recent ones in a small
 * direct-mapped table, so a busy client's key is concatenated and hashed once rather than on every
 * request. A miss just builds the key; racing threads at worst overwrite each other's slot.
 */
final class StoreKeys {

  private static final int SLOTS = 4096;

  /** Immutable, so a slot read without synchronisation is always whole. */
  private record Slot(String key, String suffix, String storeKey) {}

  private final String prefix;
  private final Slot[] slots = new Slot[SLOTS];

  StoreKeys(String prefix) {
    this.prefix = prefix;
  }

  /** The store key of {@code key}; {@code suffix} is compared by identity, so pass cached ones. */
  String of(String key, String suffix) {
    int hash = key.hashCode();
    int index = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    Slot slot = slots[index];
    if (slot != null && slot.suffix == suffix && slot.key.equals(key)) {
      return slot.storeKey;
    }
    String storeKey = prefix + key + suffix;
    slots[index] = new Slot(key, suffix, storeKey);
    return storeKey;
  }
}
