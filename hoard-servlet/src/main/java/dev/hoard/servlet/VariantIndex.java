package dev.hoard.servlet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Stored under a URL whose responses {@code Vary}: the request header names that select a variant,
 * and a generation that is part of every variant's key, so that invalidating the URL (deleting
 * this index) also orphans every variant stored under it, even if a new index names the same
 * headers.
 *
 * @param generation random, chosen when the index is first written
 * @param headerNames lower-case request header names, in the order of the response's {@code Vary}
 * @param expiresAt when the longest-lived variant written through this index expires
 */
record VariantIndex(String generation, List<String> headerNames, long expiresAt)
    implements CacheRecord {

  static final byte KIND = 'V';

  /** Copies the names. */
  public VariantIndex {
    headerNames = List.copyOf(headerNames);
  }

  @Override
  public byte[] encode() {
    return CacheRecord.write(64, out -> {
      out.writeByte(KIND);
      out.writeByte(VERSION);
      CacheRecord.writeString(out, generation);
      out.writeLong(expiresAt);
      out.writeInt(headerNames.size());
      for (String name : headerNames) {
        CacheRecord.writeString(out, name);
      }
    });
  }

  static VariantIndex read(ByteBuffer buffer) {
    String generation = CacheRecord.readString(buffer);
    long expiresAt = buffer.getLong();
    int count = buffer.getInt();
    if (count < 0 || count > 1024) {
      throw new IllegalArgumentException("header count " + count);
    }
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(CacheRecord.readString(buffer));
    }
    return new VariantIndex(generation, names, expiresAt);
  }
}
