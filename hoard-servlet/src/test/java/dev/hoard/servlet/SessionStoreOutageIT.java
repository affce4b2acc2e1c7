package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.redis.session.RedisSessionStoreProvider;
import dev.hoard.redis.testing.PrivateRedis;
import dev.hoard.servlet.testing.EmbeddedJetty;
import dev.hoard.session.SessionManager;
import dev.hoard.session.spi.SessionDelta;
import dev.hoard.session.spi.SessionRecord;
import dev.hoard.session.spi.SessionStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SessionFilter} over a Redis of the test's own that it freezes ({@code SIGSTOP}) and kills:
 * a request that needs its session gets {@code 503} with {@code Retry-After} and a JSON body, never
 * a fresh session that would look like a logout; the breaker lets one store call through per
 * cool-down, so a freeze costs one timeout per window (counted, not timed); once the server answers
 * again the same session is back.
 */
class SessionStoreOutageIT {

  private static final Duration COOL_DOWN = Duration.ofSeconds(1);

  // Persisted on every write, so a killed server comes back with the session.
  @RegisterExtension
  final PrivateRedis redis = PrivateRedis.server("appendonly yes", "appendfsync always");
  private final ManualClock clock = new ManualClock();
  private int port;
  private String pid;
  private CountingStore store;
  private SessionManager manager;
  private EmbeddedJetty jetty;

  @BeforeEach
  void start() {
    port = redis.port();
    pid = redis.cli("info", "server").lines()
        .filter(line -> line.startsWith("process_id:")).findFirst()
        .map(line -> line.substring("process_id:".length()).trim()).orElseThrow();
    StoreUrl url = StoreUrl.parse("redis://127.0.0.1:" + port + "?timeout=2s");
    store = new CountingStore((SessionStore) new RedisSessionStoreProvider().open(url, clock));
    manager = SessionManager.builder(store).clock(clock).purgeInterval(Duration.ZERO).build();
    jetty = EmbeddedJetty.start(new Visits(), SessionFilter.builder(manager).build());
  }

  @AfterEach
  void stop() {
    signal("-CONT");
    jetty.close();
    manager.close();
  }

  @Test
  void aFrozenStoreGets503WithRetryAfterAndCostsOneTimeoutPerBreakerWindow() {
    String cookie = firstVisit();
    signal("-STOP");

    HttpResponse<String> refused = visit(cookie);
    assertRefused(refused);
    assertThat(store.failures()).isEqualTo(1);
    int calls = store.calls();
    for (int i = 0; i < 10; i++) {
      assertRefused(visit(cookie));
    }
    assertThat(store.calls()).as("store calls while the breaker is open").isEqualTo(calls);
    assertThat(jetty.get("/plain").statusCode())
        .as("a request that never touches its session").isEqualTo(200);

    clock.advance(COOL_DOWN);
    assertRefused(visit(cookie));
    assertRefused(visit(cookie));
    assertThat(store.calls()).as("one trial per cool-down").isEqualTo(calls + 1);
    assertThat(store.failures()).isEqualTo(2);

    signal("-CONT");
    clock.advance(COOL_DOWN);
    HttpResponse<String> back = visit(cookie);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.body()).as("the same session, not a fresh one").isEqualTo("visit 2");
  }

  @Test
  void aKilledStoreGets503AndTheSessionIsBackAfterTheRestart() {
    String cookie = firstVisit();
    redis.servers().kill(port);
    pid = null;

    assertRefused(visit(cookie));
    int calls = store.calls();
    assertRefused(visit(cookie));
    assertThat(store.calls()).isEqualTo(calls);

    redis.servers().restart(port);
    clock.advance(COOL_DOWN);
    // Lettuce reconnects on its own schedule; each retry is one trial per cool-down.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      clock.advance(COOL_DOWN);
      return visit(cookie).statusCode() != 503;
    });
    assertThat(visit(cookie).body()).isEqualTo("visit 3");
  }

  @Test
  void theAnswerCanBeConfigured() {
    String cookie = firstVisit();
    try (EmbeddedJetty custom = EmbeddedJetty.start(new Visits(), SessionFilter.builder(manager)
        .onStoreUnavailable((request, response, outage) -> response.sendError(502))
        .build())) {
      redis.servers().kill(port);
      pid = null;
      assertThat(custom.send(custom.request("/visit").header("Cookie", cookie).build())
          .statusCode()).isEqualTo(502);
    }
  }

  private String firstVisit() {
    HttpResponse<String> first = jetty.get("/visit");
    assertThat(first.body()).isEqualTo("visit 1");
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    assertThat(store.failures()).isZero();
    return cookie;
  }

  private HttpResponse<String> visit(String cookie) {
    return jetty.send(jetty.request("/visit").header("Cookie", cookie).build());
  }

  private static void assertRefused(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(response.headers().firstValue("Set-Cookie"))
        .as("the client keeps its cookie").isEmpty();
    assertThat(response.body()).contains("\"error\":\"session_store_unavailable\"")
        .contains("\"retry_after\":1");
  }

  /** Sends {@code kill -STOP} or {@code -CONT} to the frozen test's redis-server. */
  private void signal(String signal) {
    if (pid != null) {
      redis.servers().run(List.of("kill", signal, pid));
    }
  }

  /** Counts the visits in the session; {@code /plain} never touches it. */
  private static final class Visits extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (request.getRequestURI().equals("/plain")) {
        response.getWriter().write("plain");
        return;
      }
      HttpSession session = request.getSession();
      Object before = session.getAttribute("visits");
      int visits = before == null ? 1 : ((Number) before).intValue() + 1;
      session.setAttribute("visits", visits);
      response.getWriter().write("visit " + visits);
    }
  }

  /** The real store, counting the calls that reached it and those that failed. */
  private static final class CountingStore implements SessionStore {
    private final SessionStore store;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    CountingStore(SessionStore store) {
      this.store = store;
    }

    int calls() {
      return calls.get();
    }

    int failures() {
      return failures.get();
    }

    private <T> T count(Supplier<T> call) {
      calls.incrementAndGet();
      try {
        return call.get();
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        throw e;
      }
    }

    @Override
    public SessionRecord load(String key, Instant now) {
      return count(() -> store.load(key, now));
    }

    @Override
    public void create(SessionRecord record) {
      count(() -> {
        store.create(record);
        return null;
      });
    }

    @Override
    public boolean update(String key, SessionDelta delta, Instant now) {
      return count(() -> store.update(key, delta, now));
    }

    @Override
    public boolean delete(String key) {
      return count(() -> store.delete(key));
    }

    @Override
    public List<SessionRecord> findByUser(String userId, Instant now) {
      return count(() -> store.findByUser(userId, now));
    }

    @Override
    public long deleteByUser(String userId) {
      return count(() -> store.deleteByUser(userId));
    }

    @Override
    public long purgeExpired(Instant now) {
      return count(() -> store.purgeExpired(now));
    }

    @Override
    public String description() {
      return store.description();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
