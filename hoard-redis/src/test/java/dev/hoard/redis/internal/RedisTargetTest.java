package dev.hoard.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.spi.StoreUrl;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisTargetTest {

  private static RedisTarget target(String url) {
    return RedisTarget.from(StoreUrl.parse(url));
  }

  @Test
  void standaloneWithCredentialsDatabaseAndTimeout() {
    StoreUrl url = StoreUrl.parse("redis://ann:pw%40x@cache.internal:6380/3?timeout=500ms&prefix=app:");
    RedisTarget target = RedisTarget.from(url);
    RedisURI uri = target.uris().get(0);
    assertThat(target.topology()).isEqualTo(RedisTarget.Topology.STANDALONE);
    assertThat(uri.getHost()).isEqualTo("cache.internal");
    assertThat(uri.getPort()).isEqualTo(6380);
    assertThat(uri.getDatabase()).isEqualTo(3);
    RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
    assertThat(credentials.getUsername()).isEqualTo("ann");
    assertThat(new String(credentials.getPassword())).isEqualTo("pw@x");
    assertThat(uri.isSsl()).isFalse();
    assertThat(target.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(target.toString()).doesNotContain("pw");
    url.take("prefix");
    url.rejectUnknownParameters();
  }

  @Test
  void defaultsArePort6379DatabaseZeroAndTwoSeconds() {
    RedisTarget target = target("redis://localhost");
    assertThat(target.uris().get(0).getPort()).isEqualTo(6379);
    assertThat(target.uris().get(0).getDatabase()).isZero();
    assertThat(target.timeout()).isEqualTo(RedisTarget.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void replicasIsReadAndBoundedAndZeroByDefault() {
    assertThat(target("redis://localhost").replicas()).isZero();
    assertThat(target("redis-cluster://h1:7000?replicas=2").replicas()).isEqualTo(2);
    assertThatThrownBy(() -> target("redis://localhost?replicas=-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replicas").hasMessageContaining("-1");
  }

  @Test
  void redissMeansTlsWithFullVerificationUnlessToldOtherwise() {
    assertThat(target("rediss://:pw@host").uris().get(0).isSsl()).isTrue();
    assertThat(target("rediss://host").uris().get(0).getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
    assertThat(target("rediss://host?verifyPeer=ca").uris().get(0).getVerifyMode())
        .isEqualTo(SslVerifyMode.CA);
    assertThat(target("rediss://[::1]:6390?verifyPeer=none").uris().get(0))
        .satisfies(uri -> assertThat(uri.getHost()).isEqualTo("::1"))
        .satisfies(uri -> assertThat(uri.getVerifyMode()).isEqualTo(SslVerifyMode.NONE));
  }

  @Test
  void sentinelTakesTheMasterFromThePathAndTheDatabaseAsAParameter() {
    RedisTarget target = target("redis-sentinel://:pw@s1:26379,s2/mymaster?db=2");
    RedisURI uri = target.uris().get(0);
    assertThat(target.topology()).isEqualTo(RedisTarget.Topology.SENTINEL);
    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels()).extracting(RedisURI::getHost).containsExactly("s1", "s2");
    assertThat(uri.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26379);
    assertThat(uri.getDatabase()).isEqualTo(2);
  }

  @Test
  void clusterSeedsAreEveryHost() {
    RedisTarget target = target("redis-cluster://h1:7000,h2:7001,h3?timeout=1s");
    assertThat(target.topology()).isEqualTo(RedisTarget.Topology.CLUSTER);
    assertThat(target.uris()).extracting(RedisURI::getPort).containsExactly(7000, 7001, 6379);
    assertThat(target.uris()).allSatisfy(uri -> assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "redis://h1,h2                          | redis-cluster://",
      "redis://host/zero                      | database",
      "redis://host/-1                        | database",
      "redis://host?db=2                      | path",
      "redis://host:99999                     | port",
      "redis://host:http                      | port",
      "redis://ann@host                       | password",
      "redis://host?timeout=later             | timeout",
      "redis://host?verifyPeer=full           | rediss://",
      "redis://host?cacert=/etc/hosts         | rediss://",
      "rediss://host?verifyPeer=maybe         | verifyPeer",
      "rediss://host?cacert=/no/such/file.pem | cacert",
      "redis-sentinel://s1:26379              | master",
      "redis-sentinel://s1/a/b                | master",
      "redis-sentinel:///mymaster             | host",
      "redis-sentinel://s1/m?db=x             | database",
      "redis-cluster://h1/2                   | database 0",
      "redis-cluster://h1?db=3                | database 0",
      "redis-cluster://                       | host",
  })
  void badUrlsAreRefusedNamingTheProblem(String url, String named) {
    assertThatThrownBy(() -> target(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }
}
