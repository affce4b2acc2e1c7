package dev.hoard.metrics;

import dev.hoard.ratelimit.RateLimitDecision;
import dev.hoard.ratelimit.RateLimitPolicy;
import dev.hoard.ratelimit.RateLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RateLimiter} that counts what the limiter it wraps decides, bound to Micrometer as
 * {@code hoard.ratelimit.rejections} and {@code hoard.ratelimit.requests}, tagged {@code
 * limit=<policy name>}. Use it wherever the wrapped limiter would go (a {@code RateLimitFilter}
 * route, for instance) and bind it once.
 *
 * <pre>{@code
 * RateLimiterMetrics logins = new RateLimiterMetrics(
 *     RateLimiter.builder(store).name("login").limit(5).per(ofMinutes(1)).build(), Tags.empty());
 * filter.route("/login", logins);
 * logins.bindTo(registry);
 * }</pre>
 */
// Micrometer's types appear in this API but the module requires Micrometer "static" (optional),
// not "transitive": whoever binds meters has Micrometer already. Only that lint is silenced.
@SuppressWarnings("exports")
public final class RateLimiterMetrics implements RateLimiter, MeterBinder {

  private final RateLimiter limiter;
  private final Tags tags;
  private final LongAdder allowed = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  /** Counts the decisions of {@code limiter}; its meters carry {@code tags} too. */
  public RateLimiterMetrics(RateLimiter limiter, Iterable<Tag> tags) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.tags = Tags.of(tags).and("limit", limiter.policy().name());
  }

  @Override
  public RateLimitDecision tryAcquire(String key, long permits) {
    RateLimitDecision decision = limiter.tryAcquire(key, permits);
    (decision.allowed() ? allowed : rejected).increment();
    return decision;
  }

  @Override
  public RateLimitPolicy policy() {
    return limiter.policy();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("hoard.ratelimit.rejections", rejected, LongAdder::sum)
        .tags(tags)
        .description("requests the limit refused")
        .register(registry);
    FunctionCounter.builder("hoard.ratelimit.requests", this, RateLimiterMetrics::decisions)
        .tags(tags)
        .description("requests the limit decided on, allowed or refused")
        .register(registry);
  }

  private double decisions() {
    return allowed.sum() + rejected.sum();
  }

  @Override
  public String toString() {
    return limiter.toString();
  }
}
