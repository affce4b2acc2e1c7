package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parsing and stored-form internals: Cache-Control, entity-tag lists, records and their corruption. */
class CacheRecordTest {

  private static final CachePolicy POLICY = new CachePolicy(Set.of(200), 86_400_000, 3_600_000, false);

  @Test
  void cacheControlReadsQuotedListsFirstOccurrencesAndMalformedValues() {
    CacheControl cc = CacheControl.parse(List.of(
        "Max-Age=60, no-cache=\"Set-Cookie, X-Token\", private",
        "max-age=5, s-maxage=abc, stale-while-revalidate=99999999999, x-unknown"));

    assertThat(cc.seconds("max-age")).isEqualTo(60);
    assertThat(cc.fieldNames("no-cache")).containsExactly("Set-Cookie", "X-Token");
    assertThat(cc.hasBare("no-cache")).isFalse();
    assertThat(cc.hasBare("private")).isTrue();
    assertThat(cc.seconds("s-maxage")).isZero();
    assertThat(cc.seconds("stale-while-revalidate")).isEqualTo(CacheControl.MAX_DELTA_SECONDS);
    assertThat(cc.has("x-unknown")).isTrue();
    assertThat(cc.seconds("stale-if-error")).isEqualTo(-1);
  }

  @Test
  void entityTagListsKeepCommasInsideQuotes() {
    assertThat(Preconditions.entityTags("W/\"a\", \"b,c\" ,\"d\""))
        .containsExactly("W/\"a\"", "\"b,c\"", "\"d\"");
    assertThat(Preconditions.weaklyEqual("W/\"a\"", "\"a\"")).isTrue();
    assertThat(Preconditions.weaklyEqual("\"a\"", "\"b\"")).isFalse();
  }

  @Test
  void aStoredResponseRoundTripsWithItsHeadersInOrder() {
    byte[] body = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
    List<Header> headers = List.of(new Header("Cache-Control", "max-age=60, stale-if-error=30"),
        new Header("X-Multi", "1"), new Header("Connection", "X-Hop"), new Header("X-Hop", "no"),
        new Header("X-Multi", "2"), new Header("Date", HttpDates.format(1_000_000)));

    CachedResponse stored = CachedResponse.of(200, headers, body, body.length, 1_000_000,
        1_000_000, POLICY);
    CachedResponse read = (CachedResponse) CacheRecord.decode(stored.encode());

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.headers()).extracting(Header::name)
        .containsExactly("Cache-Control", "X-Multi", "X-Multi", "Date", "ETag");
    assertThat(Header.all(read.headers(), "X-Multi")).containsExactly("1", "2");
    assertThat(read.etagGenerated()).isTrue();
    assertThat(read.lifetime()).isEqualTo(60_000);
    assertThat(read.servableOnError(1_000_000 + 80_000)).isTrue();
    assertThat(read.servableOnError(1_000_000 + 100_000)).isFalse();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      read.writeBody(out);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(out.toByteArray()).isEqualTo(body);
  }

  @Test
  void corruptOrForeignBytesReadAsMisses() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] valid = CachedResponse.of(200, List.of(new Header("Cache-Control", "max-age=1")),
        new byte[10], 10, 0, 0, POLICY).encode();
    for (int i = 0; i < 500; i++) {
      byte[] broken = java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
      if (broken.length > 2 && random.nextBoolean()) {
        broken[2 + random.nextInt(broken.length - 2)] = (byte) random.nextInt();
      }
      CacheRecord record = CacheRecord.decode(broken);
      assertThat(record == null || record instanceof CachedResponse)
          .as("seed %d, length %d", seed, broken.length).isTrue();
    }
    assertThat(CacheRecord.decode("{\"json\":true}".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(CacheRecord.decode(null)).isNull();
  }

  @Test
  void aVariantIndexRoundTrips() {
    VariantIndex index = new VariantIndex("gen", List.of("accept-language", "accept-encoding"), 42);
    assertThat(CacheRecord.decode(index.encode())).isEqualTo(index);
  }

  @Test
  void refreshingFromA304ReplacesFieldsInPlaceAndKeepsTheBodyDescription() {
    List<Header> headers = List.of(new Header("Content-Type", "text/plain"),
        new Header("Cache-Control", "max-age=10"), new Header("ETag", "\"x\""),
        new Header("X-Version", "1"), new Header("X-Version", "1b"));
    CachedResponse stored = CachedResponse.of(200, headers, new byte[3], 3, 0, 0, POLICY);

    CachedResponse refreshed = stored.refreshedBy(List.of(new Header("Cache-Control", "max-age=99"),
        new Header("X-Version", "2"), new Header("Content-Type", "application/evil"),
        new Header("X-New", "yes")), 5_000, 5_000, POLICY);

    assertThat(refreshed.headers()).extracting(Header::name).containsExactly("Content-Type",
        "Cache-Control", "ETag", "X-Version", "Date", "X-New");
    assertThat(refreshed.header("Content-Type")).isEqualTo("text/plain");
    assertThat(refreshed.header("X-Version")).isEqualTo("2");
    assertThat(refreshed.lifetime()).isEqualTo(99_000);
    assertThat(refreshed.isFresh(5_000 + 98_000)).isTrue();
    assertThat(refreshed.bodyLength()).isEqualTo(3);
  }
}
