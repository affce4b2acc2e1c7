package dev.hoard.servlet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored under a key whose response was written through a tagged view of the cache ({@code
 * Cache-Tag}, {@code Surrogate-Key}): the tags, so that a lookup can read the response through
 * the same view, and invalidating any of the tags makes it a miss on every node sharing the store.
 *
 * @param tags the response's tags, sorted and distinct
 */
record TaggedPointer(List<String> tags) implements CacheRecord {

  static final byte KIND = 'T';

  /** Copies the tags. */
  public TaggedPointer {
    tags = List.copyOf(tags);
  }

  @Override
  public byte[] encode() {
    return CacheRecord.write(16 + tags.size() * 16, out -> {
      out.writeByte(KIND);
      out.writeByte(VERSION);
      out.writeInt(tags.size());
      for (String tag : tags) {
        CacheRecord.writeString(out, tag);
      }
    });
  }

  static TaggedPointer read(ByteBuffer buffer) {
    int count = buffer.getInt();
    if (count < 1 || count > 255) {
      throw new IllegalArgumentException("tag count " + count);
    }
    List<String> tags = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tags.add(CacheRecord.readString(buffer));
    }
    return new TaggedPointer(tags);
  }
}
