package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreUrlPassThroughTest {

  @Test
  void takeRemainingReturnsTheUntakenPairsAsWrittenInOrder() {
    StoreUrl url = StoreUrl.parse(
        "jdbc:postgresql://db:5432/app?table=cache&ssl=true&options=-c%20search_path%3Dx&a+b=c");
    assertThat(url.scheme()).isEqualTo("jdbc");
    assertThat(url.schemeSpecificPart()).isEqualTo("postgresql://db:5432/app");
    assertThat(url.take("table")).contains("cache");
    assertThat(url.parameters()).containsEntry("options", "-c search_path=x");
    assertThat(url.takeRemaining())
        .containsExactly("ssl=true", "options=-c%20search_path%3Dx", "a+b=c");
    url.rejectUnknownParameters();
  }

  @Test
  void passwordParametersAreRedacted() {
    StoreUrl url = StoreUrl.parse(
        "jdbc:mariadb://db/app?user=u&password=s3cret&trustStorePassword=t0p&table=c");
    assertThat(url.toString())
        .doesNotContain("s3cret", "t0p")
        .contains("user=u", "password=****", "trustStorePassword=****", "table=c");
    assertThat(StoreUrl.parse("jdbc:h2:mem:x;USER=sa;PASSWORD=s3cret;MODE=MySQL").toString())
        .isEqualTo("jdbc:h2:mem:x;USER=sa;PASSWORD=****;MODE=MySQL");
    assertThat(StoreUrl.parse("redis://:s3cret@host:6379/0").toString())
        .isEqualTo("redis://:****@host:6379/0");
  }
}
