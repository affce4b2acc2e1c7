package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.StoreUrl;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The codec a cache URL names, with compression, written to and read back from a real store. */
class CachesCodecUrlTest {

  record Page(String title, List<String> lines) {}

  @TempDir Path directory;

  private static final Page LONG_PAGE =
      new Page("manual", List.of("the same line of text, again and again".repeat(100)));

  @Test
  void aCompressedSmileCacheStoresFramesThatOnlyACompressingCodecReads() {
    String base = "file://" + directory;
    try (Cache zstd = Caches.open(base + "?codec=smile&compress=zstd&compressAbove=100");
        Cache plainSmile = Caches.open(base + "?codec=smile");
        Cache lz4 = Caches.open(base + "?codec=smile&compress=lz4")) {
      zstd.put("page", LONG_PAGE);
      assertThat(zstd.get("page", Page.class)).isEqualTo(LONG_PAGE);
      // Stored as a zstd frame: Smile alone cannot read it, any compressing codec can.
      assertThat(plainSmile.get("page", Page.class)).isNull();
      assertThat(lz4.get("page", Page.class)).isEqualTo(LONG_PAGE);
      // Below the threshold the value is plain Smile, readable without compression.
      Page short1 = new Page("short", List.of("a"));
      zstd.put("short", short1);
      assertThat(plainSmile.get("short", Page.class)).isEqualTo(short1);
    }
  }

  @Test
  void everyNamedCodecRoundTripsThroughAFileStore() {
    for (String codec : List.of("json", "smile", "cbor", "msgpack")) {
      try (Cache cache = Caches.open("file://" + directory + "/" + codec + "?codec=" + codec)) {
        cache.put("page", LONG_PAGE);
        assertThat(cache.get("page", Page.class)).as(codec).isEqualTo(LONG_PAGE);
      }
    }
  }

  @Test
  void signedJavaTakesItsKeyFromTheEnvironmentAndItsClassesFromTheUrl() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    StoreUrl url = StoreUrl.parse("memory://?codec=signed-java&codecAllow=java.util.*,java.lang.*");
    var codec = Caches.codec(url, Map.of(Caches.CODEC_KEY_VARIABLE, key)::get).orElseThrow();
    assertThat(codec.name()).isEqualTo("signed-java");
    assertThat(codec.decode(codec.encode(List.of("a", "b")), Object.class))
        .isEqualTo(List.of("a", "b"));
    assertThatThrownBy(() -> Caches.codec(
            StoreUrl.parse("memory://?codec=signed-java&codecAllow=java.util.*"), name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Caches.CODEC_KEY_VARIABLE);
    assertThatThrownBy(() -> Caches.codec(
            StoreUrl.parse("memory://?codec=signed-java"), Map.of(Caches.CODEC_KEY_VARIABLE, key)::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codecAllow=");
    assertThatThrownBy(() -> Caches.codec(
            StoreUrl.parse("memory://?codec=signed-java&codecAllow=a.*"),
            Map.of(Caches.CODEC_KEY_VARIABLE, "not base64!")::get))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
  }

  @Test
  void badCodecParametersAreNamed() {
    assertThatThrownBy(() -> Caches.open("memory://?codec=json&codecAllow=a.*"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codecAllow");
    assertThatThrownBy(() -> Caches.open("memory://?compressAbove=10"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compress=zstd");
    assertThatThrownBy(() -> Caches.open("memory://?compress=gzip"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gzip");
    assertThatThrownBy(() -> Caches.open("memory://?compress=zstd&compressAbove=-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compressAbove");
    assertThat(Caches.codec(StoreUrl.parse("memory://?compress=lz4"), name -> null))
        .hasValueSatisfying(codec -> assertThat(codec.name()).isEqualTo("json+lz4"));
  }
}
