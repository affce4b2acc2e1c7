package dev.hoard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.ratelimit.RateLimiter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterMetricsTest {

  @Test
  void counts_refusals_and_decisions_per_limit() {
    ManualClock clock = new ManualClock();
    RateLimiter limiter = RateLimiter.builder(MemoryCacheStore.builder().clock(clock).build())
        .name("login").limit(2).per(Duration.ofMinutes(1)).clock(clock).build();
    RateLimiterMetrics counted = new RateLimiterMetrics(limiter, Tags.of("app", "demo"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    counted.bindTo(registry);

    assertThat(counted.tryAcquire("10.0.0.1").allowed()).isTrue();
    assertThat(counted.tryAcquire("10.0.0.1").allowed()).isTrue();
    assertThat(counted.tryAcquire("10.0.0.1").allowed()).isFalse();
    assertThat(counted.tryAcquire("10.0.0.2").allowed()).isTrue();

    assertThat(registry.get("hoard.ratelimit.rejections").tag("limit", "login").tag("app", "demo")
        .functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("hoard.ratelimit.requests").tag("limit", "login")
        .functionCounter().count()).isEqualTo(4);
    assertThat(counted.policy()).isEqualTo(limiter.policy());
  }
}
