package dev.hoard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Opening caches by URL. */
class CachesTest {

  @Test
  void opensAMemoryCacheFromItsUrl() {
    ManualClock clock = new ManualClock();
    try (Cache cache = Caches.open("memory://?maximumSize=5&ttl=30s&name=sessions", clock)) {
      assertThat(cache.name()).isEqualTo("sessions");
      cache.put("k", "v");
      assertThat(cache.ttl("k")).contains(Duration.ofSeconds(30));
      clock.advance(Duration.ofSeconds(31));
      assertThat(cache.get("k", String.class)).isNull();
    }
  }

  @Test
  void memoryUrlsMayHaveAnEmptyPathAsJavaNetUrisNeed() {
    try (Cache cache = Caches.open("memory:///")) {
      cache.put("k", "v");
      assertThat(cache.get("k", String.class)).isEqualTo("v");
    }
    assertThatThrownBy(() -> Caches.open("memory:///data"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host or path");
  }

  @Test
  void unknownSchemesAndParametersAreNamed() {
    assertThatThrownBy(() -> Caches.open("mongo://localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mongo'").hasMessageContaining("memory");
    assertThatThrownBy(() -> Caches.open("memory://?maxSize=5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize");
    assertThatThrownBy(() -> Caches.open("memory://?maximumSize=-5"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> Caches.open("memory://?ttl=soon"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> Caches.open("memory://?codec=xml"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xml");
    assertThatThrownBy(() -> Caches.open("no scheme here"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme");
  }

  @Test
  void storeUrlsParseSeveralHostsAndHidePasswords() {
    StoreUrl url = StoreUrl.parse("redis://ada:s3cret@h1:6379,h2:6380/2?prefix=app:&timeout=2s");
    assertThat(url.scheme()).isEqualTo("redis");
    assertThat(url.user()).contains("ada");
    assertThat(url.password()).contains("s3cret");
    assertThat(url.hosts()).containsExactly("h1:6379", "h2:6380");
    assertThat(url.path()).isEqualTo("/2");
    assertThat(url.take("prefix")).contains("app:");
    assertThat(url.takeDuration("timeout")).contains(Duration.ofSeconds(2));
    assertThat(url.toString()).doesNotContain("s3cret").contains("ada:****@");
    url.rejectUnknownParameters();
    StoreUrl jdbc = StoreUrl.parse("jdbc:postgresql://localhost/db?table=c");
    assertThat(jdbc.scheme()).isEqualTo("jdbc");
    assertThat(jdbc.schemeSpecificPart()).isEqualTo("postgresql://localhost/db");
  }
}
