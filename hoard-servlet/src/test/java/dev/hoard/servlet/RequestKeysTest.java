package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How URLs become cache keys. */
class RequestKeysTest {

  private final RequestKeys keys = new RequestKeys(List.of("utm_*", "fbclid"));

  private String key(String url) {
    return keys.primary(URI.create(url));
  }

  @Test
  void schemeHostAndDefaultPortsAreNormalised() {
    assertThat(key("HTTP://Example.COM:80/a")).isEqualTo("GET http://example.com/a");
    assertThat(key("https://example.com:443/a")).isEqualTo("GET https://example.com/a");
    assertThat(key("https://example.com:8443/a")).isEqualTo("GET https://example.com:8443/a");
    assertThat(key("http://example.com")).isEqualTo("GET http://example.com/");
  }

  @Test
  void thePathKeepsItsCaseAndEncoding() {
    assertThat(key("http://h/A%2Fb")).isNotEqualTo(key("http://h/a%2Fb"));
    assertThat(key("http://h/A%2Fb")).isEqualTo("GET http://h/A%2Fb");
  }

  @Test
  void queryParametersAreSortedByNameKeepingTheOrderOfRepeatedOnes() {
    assertThat(key("http://h/s?b=2&a=1&b=1")).isEqualTo("GET http://h/s?a=1&b=2&b=1");
    assertThat(key("http://h/s?b=1&a=1&b=2")).isNotEqualTo(key("http://h/s?b=2&a=1&b=1"));
  }

  @Test
  void ignoredParametersGoEvenWhenEncodedOrInUpperCase() {
    assertThat(key("http://h/s?q=1&UTM_source=x&utm%5Fmedium=y&fbclid=z&&"))
        .isEqualTo("GET http://h/s?q=1");
    assertThat(key("http://h/s?utm_source=x")).isEqualTo("GET http://h/s");
    assertThat(key("http://h/s?fbclidx=1")).isEqualTo("GET http://h/s?fbclidx=1");
  }

  @Test
  void veryLongUrlsAreDigestedBelowTheKeyLimit() {
    String url = "http://h/" + "x".repeat(5000);
    assertThat(key(url)).startsWith("GET #").hasSizeLessThan(100);
    assertThat(key(url)).isNotEqualTo(key(url + "y"));
  }

  @Test
  void sameOriginComparesSchemeHostAndEffectivePort() {
    assertThat(RequestKeys.sameOrigin(URI.create("http://h/a"), URI.create("http://H:80/b"))).isTrue();
    assertThat(RequestKeys.sameOrigin(URI.create("http://h/a"), URI.create("https://h/b"))).isFalse();
    assertThat(RequestKeys.sameOrigin(URI.create("http://h/a"), URI.create("http://h:81/b"))).isFalse();
  }

  @Test
  void variantValuesAreNormalisedForWhitespace() {
    assertThat(RequestKeys.normalise(" gzip ,  br,,deflate  ")).isEqualTo("gzip,br,deflate");
    assertThat(RequestKeys.normalise("en-GB;q=0.9,  en   ;q=0.8")).isEqualTo("en-GB;q=0.9,en ;q=0.8");
  }
}
