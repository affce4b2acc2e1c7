package dev.hoard.session.metrics;

import dev.hoard.session.DestroyReason;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionListener;
import dev.hoard.session.SessionManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The sessions of one {@link SessionManager} as Micrometer meters: the gauge {@code
 * hoard.sessions.active}, and the counters {@code hoard.sessions.started} and {@code
 * hoard.sessions.destroyed{reason=invalidated|expired|refused|revoked}}. Register it as the
 * manager's listener, then bind it:
 *
 * <pre>{@code
 * SessionMetrics metrics = new SessionMetrics(Tags.empty());
 * SessionManager sessions = SessionManager.builder(store).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>A session that expires inside a backend (a Redis TTL) is counted when the manager next sees
 * it or purges it, so {@code active} is the sessions this process began and has not yet seen end:
 * with several nodes, sum it over them. ({@code started}, not {@code created}: Prometheus keeps the
 * {@code _created} suffix of counters for their start time.)
 */
// Micrometer's types appear in this API but the module requires Micrometer "static" (optional),
// not "transitive": whoever binds meters has Micrometer already. Only that lint is silenced.
@SuppressWarnings("exports")
public final class SessionMetrics implements SessionListener, MeterBinder {

  private final Tags tags;
  private final LongAdder started = new LongAdder();
  private final Map<DestroyReason, LongAdder> destroyed = new EnumMap<>(DestroyReason.class);

  /** Meters carrying {@code tags}, e.g. {@code Tags.of("sessions", "web")}. */
  public SessionMetrics(Iterable<Tag> tags) {
    this.tags = Tags.of(tags);
    for (DestroyReason reason : DestroyReason.values()) {
      destroyed.put(reason, new LongAdder());
    }
  }

  @Override
  public void created(SessionInfo session) {
    started.increment();
  }

  @Override
  public void destroyed(SessionInfo session, DestroyReason reason) {
    destroyed.get(reason).increment();
  }

  /** Sessions begun and not yet seen to end (never below zero). */
  public long active() {
    long ended = 0;
    for (LongAdder count : destroyed.values()) {
      ended += count.sum();
    }
    return Math.max(0, started.sum() - ended);
  }

  /** Sessions begun since this listener was registered. */
  public long started() {
    return started.sum();
  }

  /** Sessions seen to end for {@code reason}. */
  public long destroyed(DestroyReason reason) {
    return destroyed.get(reason).sum();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("hoard.sessions.active", this, SessionMetrics::active)
        .tags(tags)
        .description("sessions begun and not yet seen to end")
        .register(registry);
    FunctionCounter.builder("hoard.sessions.started", started, LongAdder::sum)
        .tags(tags)
        .description("sessions begun")
        .register(registry);
    destroyed.forEach((reason, count) ->
        FunctionCounter.builder("hoard.sessions.destroyed", count, LongAdder::sum)
            .tags(tags.and("reason", reason.name().toLowerCase(Locale.ROOT)))
            .description("sessions ended")
            .register(registry));
  }
}
