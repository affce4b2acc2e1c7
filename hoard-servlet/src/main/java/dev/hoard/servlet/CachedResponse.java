package dev.hoard.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A response as the cache keeps it: status, the header lines a cache may store (in the origin's
 * order, multi-valued lines included), the body, and the times RFC 9111 §4.2.3 needs to compute
 * its age. Immutable; the body array is shared, never written to.
 */
final class CachedResponse implements CacheRecord {

  static final byte KIND = 'R';

  /** Hop-by-hop fields (RFC 9110 §7.6.1) and fields this filter writes itself; never stored. */
  private static final Set<String> NOT_STORED = Set.of("connection", "keep-alive",
      "proxy-connection", "te", "transfer-encoding", "upgrade", "trailer", "proxy-authenticate",
      "proxy-authentication-info", "age", "x-cache");

  /** Fields a 304 does not update (RFC 9111 §3.2): they describe the stored body, not the 304's. */
  private static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding",
      "content-range", "content-type");

  private static final int NO_CACHE = 1;
  private static final int MUST_REVALIDATE = 2;
  private static final int ETAG_GENERATED = 4;

  private final int status;
  private final List<Header> headers;
  private final byte[] bodyArray;
  private final int bodyOffset;
  private final int bodyLength;
  private final long responseTime;
  private final long initialAge;
  private final long lifetime;
  private final long staleWhileRevalidate;
  private final long staleIfError;
  private final int flags;

  private CachedResponse(int status, List<Header> headers, byte[] bodyArray, int bodyOffset,
      int bodyLength, long responseTime, long initialAge, long lifetime,
      long staleWhileRevalidate, long staleIfError, int flags) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.bodyArray = bodyArray;
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
    this.responseTime = responseTime;
    this.initialAge = initialAge;
    this.lifetime = lifetime;
    this.staleWhileRevalidate = staleWhileRevalidate;
    this.staleIfError = staleIfError;
    this.flags = flags;
  }

  /**
   * The stored form of a response from the origin: fields a cache must not store dropped, a
   * {@code Date} added when the origin sent none, and a strong {@code ETag} (SHA-256 of the body)
   * added when it sent no validator of its own.
   *
   * @param requestTime when the request went to the origin, epoch millis
   * @param responseTime when the response came back, epoch millis
   */
  public static CachedResponse of(int status, List<Header> originHeaders, byte[] body,
      int bodyLength, long requestTime, long responseTime, CachePolicy policy) {
    List<Header> headers = storable(originHeaders);
    if (!Header.contains(headers, "Date")) {
      headers.add(new Header("Date", HttpDates.format(responseTime)));
    }
    int generated = 0;
    if (!Header.contains(headers, "ETag")) {
      headers.add(new Header("ETag", strongEtag(body, bodyLength)));
      generated = ETAG_GENERATED;
    }
    return withTimes(status, headers, body, 0, bodyLength, originHeaders, requestTime,
        responseTime, policy, generated);
  }

  private static CachedResponse withTimes(int status, List<Header> headers, byte[] body,
      int offset, int length, List<Header> received, long requestTime, long responseTime,
      CachePolicy policy, int generated) {
    CacheControl cc = policy.directives(headers);
    int flags = generated;
    if (cc.hasBare("no-cache")) {
      flags |= NO_CACHE;
    }
    // s-maxage carries proxy-revalidate's meaning for a shared cache (RFC 9111 §5.2.2.10).
    if (cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage")) {
      flags |= MUST_REVALIDATE;
    }
    return new CachedResponse(status, headers, body, offset, length, responseTime,
        initialAge(received, requestTime, responseTime), policy.lifetime(status, headers, responseTime),
        Math.max(0, cc.seconds("stale-while-revalidate")) * 1000,
        Math.max(0, cc.seconds("stale-if-error")) * 1000, flags);
  }

  /** The corrected initial age of RFC 9111 §4.2.3. */
  private static long initialAge(List<Header> received, long requestTime, long responseTime) {
    long date = HttpDates.parse(Header.first(received, "Date"));
    long apparentAge = date < 0 ? 0 : Math.max(0, responseTime - date);
    long ageValue = ageSeconds(Header.first(received, "Age")) * 1000;
    long correctedAgeValue = ageValue + Math.max(0, responseTime - requestTime);
    return Math.max(apparentAge, correctedAgeValue);
  }

  /**
   * The seconds of an {@code Age} field: its first list member (a cache that combined lines sends
   * {@code Age: 7200, 0}), 0 when it is absent or not a non-negative integer (RFC 9111 §5.1).
   */
  static long ageSeconds(String age) {
    if (age == null) {
      return 0;
    }
    int comma = age.indexOf(',');
    String first = (comma < 0 ? age : age.substring(0, comma)).trim();
    if (first.isEmpty()) {
      return 0;
    }
    for (int i = 0; i < first.length(); i++) {
      if (first.charAt(i) < '0' || first.charAt(i) > '9') {
        return 0;
      }
    }
    return first.length() > 10 ? CacheControl.MAX_DELTA_SECONDS
        : Math.min(Long.parseLong(first), CacheControl.MAX_DELTA_SECONDS);
  }

  private static List<Header> storable(List<Header> headers) {
    Set<String> dropped = new HashSet<>(NOT_STORED);
    for (String named : Header.elements(headers, "Connection")) {
      dropped.add(named.toLowerCase(Locale.ROOT));
    }
    CacheControl cc = CacheControl.parse(Header.all(headers, "Cache-Control"));
    for (String named : cc.fieldNames("private")) {
      dropped.add(named.toLowerCase(Locale.ROOT));
    }
    for (String named : cc.fieldNames("no-cache")) {
      dropped.add(named.toLowerCase(Locale.ROOT));
    }
    List<Header> kept = new ArrayList<>(headers.size() + 2);
    for (Header header : headers) {
      if (!dropped.contains(header.name().toLowerCase(Locale.ROOT))) {
        kept.add(header);
      }
    }
    return kept;
  }

  /** A strong entity tag derived from the body: {@code "} + base64url(SHA-256) + {@code "}. */
  public static String strongEtag(byte[] body, int length) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(body, 0, length);
      return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest()) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /**
   * This response refreshed by a {@code 304 Not Modified} (RFC 9111 §4.3.4): each field the 304
   * carries replaces the stored lines of that name (in place), new ones are appended, and the
   * times restart from the 304.
   */
  public CachedResponse refreshedBy(List<Header> notModified, long requestTime,
      long responseTime, CachePolicy policy) {
    Map<String, List<Header>> updates = new LinkedHashMap<>();
    for (Header header : storable(notModified)) {
      String name = header.name().toLowerCase(Locale.ROOT);
      if (!NOT_UPDATED.contains(name)) {
        updates.computeIfAbsent(name, n -> new ArrayList<>()).add(header);
      }
    }
    if (!updates.containsKey("date")) {
      updates.put("date", List.of(new Header("Date", HttpDates.format(responseTime))));
    }
    List<Header> merged = new ArrayList<>(headers.size() + updates.size());
    Set<String> written = new HashSet<>();
    for (Header header : headers) {
      String name = header.name().toLowerCase(Locale.ROOT);
      List<Header> replacement = updates.get(name);
      if (replacement == null) {
        merged.add(header);
      } else if (written.add(name)) {
        merged.addAll(replacement);
      }
    }
    updates.forEach((name, lines) -> {
      if (!written.contains(name)) {
        merged.addAll(lines);
      }
    });
    int generated = etagGenerated() && etag().equals(Header.first(merged, "ETag"))
        ? ETAG_GENERATED : 0;
    return withTimes(status, merged, bodyArray, bodyOffset, bodyLength, notModified, requestTime,
        responseTime, policy, generated);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The stored header lines, in order. */
  public List<Header> headers() {
    return headers;
  }

  /** The value of the first stored line with this name, or {@code null}. */
  public String header(String name) {
    return Header.first(headers, name);
  }

  /** The entity tag clients see (the origin's, or the one computed from the body). */
  public String etag() {
    return header("ETag");
  }

  /** Whether {@link #etag()} was computed here rather than sent by the origin. */
  public boolean etagGenerated() {
    return (flags & ETAG_GENERATED) != 0;
  }

  /** Whether the origin gave a validator to revalidate with ({@code ETag} or {@code Last-Modified}). */
  public boolean hasOriginValidator() {
    return !etagGenerated() || header("Last-Modified") != null;
  }

  /** Whether the origin asked for revalidation on every use ({@code no-cache}). */
  public boolean requiresValidation() {
    return (flags & NO_CACHE) != 0;
  }

  /** Whether it must not be served stale in any case ({@code must-revalidate}, {@code proxy-revalidate}, {@code s-maxage}). */
  public boolean mustRevalidate() {
    return (flags & MUST_REVALIDATE) != 0;
  }

  /** The age in milliseconds at {@code now} (RFC 9111 §4.2.3). */
  public long age(long now) {
    return initialAge + Math.max(0, now - responseTime);
  }

  /** The freshness lifetime in milliseconds. */
  public long lifetime() {
    return lifetime;
  }

  /** Whether it is still fresh at {@code now}. */
  public boolean isFresh(long now) {
    return lifetime > age(now);
  }

  /** How long it has been stale at {@code now}, in milliseconds (0 while fresh). */
  public long staleness(long now) {
    return Math.max(0, age(now) - lifetime);
  }

  /** Whether {@code stale-while-revalidate} lets it be served at {@code now} while it is refreshed. */
  public boolean servableWhileRevalidating(long now) {
    return !mustRevalidate() && !requiresValidation() && staleness(now) <= staleWhileRevalidate;
  }

  /** Whether {@code stale-if-error} lets it be served at {@code now} when the origin fails. */
  public boolean servableOnError(long now) {
    return !mustRevalidate() && !requiresValidation() && staleness(now) <= staleIfError;
  }

  /**
   * How long, from {@code now}, the store should keep it: its remaining freshness, plus the time
   * it stays useful stale (for {@code stale-*}; when it has a validator, for revalidation; when it
   * may be served if the origin fails, for that).
   * Zero or less means not worth storing.
   */
  public long retention(long now, CachePolicy policy) {
    boolean servableStale = !mustRevalidate() && !requiresValidation();
    // A response that was never fresh is not kept just in case the origin fails.
    long stale = hasOriginValidator()
        || servableStale && lifetime > 0 && policy.staleWhenOriginFails()
        ? policy.staleRetentionMillis() : 0;
    if (servableStale) {
      stale = Math.max(stale, Math.max(staleWhileRevalidate, staleIfError));
    }
    if (requiresValidation() && !hasOriginValidator()) {
      return 0;
    }
    return lifetime + stale - age(now);
  }

  /**
   * Whether it may answer when the origin cannot be reached (RFC 9111 §4.2.4): not when {@code
   * must-revalidate}, {@code proxy-revalidate}, {@code s-maxage} or {@code no-cache} forbid it.
   */
  public boolean servableWhenOriginUnreachable() {
    return !mustRevalidate() && !requiresValidation();
  }

  /** The body length in bytes. */
  public int bodyLength() {
    return bodyLength;
  }

  /** Writes the body. */
  public void writeBody(OutputStream out) throws IOException {
    out.write(bodyArray, bodyOffset, bodyLength);
  }

  /** Writes {@code length} bytes of the body from {@code offset}, which must lie within it. */
  public void writeBody(OutputStream out, int offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > bodyLength) {
      throw new IndexOutOfBoundsException("bytes " + offset + "+" + length + " of " + bodyLength);
    }
    out.write(bodyArray, bodyOffset + offset, length);
  }

  @Override
  public byte[] encode() {
    return CacheRecord.write(bodyLength + 64 + headers.size() * 48, out -> {
      out.writeByte(KIND);
      out.writeByte(VERSION);
      out.writeShort(status);
      out.writeLong(responseTime);
      out.writeLong(initialAge);
      out.writeLong(lifetime);
      out.writeLong(staleWhileRevalidate);
      out.writeLong(staleIfError);
      out.writeByte(flags);
      out.writeInt(headers.size());
      for (Header header : headers) {
        CacheRecord.writeString(out, header.name());
        CacheRecord.writeString(out, header.value());
      }
      out.writeInt(bodyLength);
      out.write(bodyArray, bodyOffset, bodyLength);
    });
  }

  static CachedResponse read(byte[] bytes, ByteBuffer buffer) {
    int status = buffer.getShort();
    long responseTime = buffer.getLong();
    long initialAge = buffer.getLong();
    long lifetime = buffer.getLong();
    long staleWhileRevalidate = buffer.getLong();
    long staleIfError = buffer.getLong();
    int flags = buffer.get();
    int count = buffer.getInt();
    if (count < 0 || count > 10_000) {
      throw new IllegalArgumentException("header count " + count);
    }
    List<Header> headers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      headers.add(new Header(CacheRecord.readString(buffer), CacheRecord.readString(buffer)));
    }
    int length = buffer.getInt();
    if (length < 0 || length != buffer.remaining()) {
      throw new IllegalArgumentException("body length " + length);
    }
    return new CachedResponse(status, headers, bytes, buffer.position(), length, responseTime,
        initialAge, lifetime, staleWhileRevalidate, staleIfError, flags);
  }
}
