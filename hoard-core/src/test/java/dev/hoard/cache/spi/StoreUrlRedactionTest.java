package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreUrlRedactionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "redis://:hunter2@host:6379/0                | redis://:****@host:6379/0",
      "redis://ann:hunter2@host                    | redis://ann:****@host",
      "redis://:hun@ter2@host/0?prefix=a@b:        | redis://:****@host/0?prefix=a@b:",
      "redis-cluster://:hun@ter2@h1:7000,h2:7001   | redis-cluster://:****@h1:7000,h2:7001",
      "redis://host:6379/0?prefix=a:b@c            | redis://host:6379/0?prefix=a:b@c",
  })
  void toStringHidesThePasswordEvenWhenItHoldsAnAtSign(String url, String shown) {
    StoreUrl parsed = StoreUrl.parse(url);
    assertThat(parsed.toString()).isEqualTo(shown).doesNotContain("hunter2").doesNotContain("ter2");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cookie://?keys=hunter2,older&idleTimeout=5m | cookie://?keys=****&idleTimeout=5m",
      "cache:memory://?idleTimeout=5m&keys=hunter2 | cache:memory://?idleTimeout=5m&keys=****",
      "redis://h?encryptionKeys=hunter2,old&p=a   | redis://h?encryptionKeys=****&p=a",
      "x://h?clientSecret=hunter2                  | x://h?clientSecret=****",
  })
  void toStringHidesKeysAndSecretParameters(String url, String shown) {
    assertThat(StoreUrl.parse(url).toString()).isEqualTo(shown).doesNotContain("hunter2");
  }
}
