package dev.hoard.cli;

import dev.hoard.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The end-to-end checks behind {@code hoard cache test}. They run in a scope of their own ({@code
 * scoped("hoard-cli-test", <random id>)}), so they never read or change the user's entries, and
 * they delete what they wrote when done; every entry also expires within a few minutes in case the
 * process dies half-way.
 */
final class SelfTest {

  /** How a check ended. */
  enum Status { PASSED, FAILED, SKIPPED }

  /**
   * One check's outcome.
   *
   * @param check what was checked
   * @param status how it ended
   * @param detail why it failed or was skipped; null when it passed
   */
  record Result(String check, Status status, String detail) {}

  /** The object written and read back by the round-trip check. */
  record Sample(String id, String name, int visits, List<String> roles, Instant seen) {}

  static final String SCOPE_KIND = "hoard-cli-test";

  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration SHORT_TTL = Duration.ofSeconds(1);
  private static final Duration EXPIRY_DEADLINE = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int THREADS = 8;
  private static final int INCREMENTS_PER_THREAD = 50;
  private static final String[] TAGS = {"users", "posts"};

  private final Cache scope;
  private final String scopeId;
  private final Consumer<Result> listener;
  private final Map<Cache, Set<String>> written = new LinkedHashMap<>();
  private final List<Cache> views = new ArrayList<>();
  private boolean canListKeys = true;

  /** A test in scope {@code scopeId} of {@code cache}; {@code listener} hears each result. */
  SelfTest(Cache cache, String scopeId, Consumer<Result> listener) {
    this.scope = cache.scoped(SCOPE_KIND, scopeId);
    this.scopeId = scopeId;
    this.listener = listener;
  }

  /** The scope id the checks write under. */
  String scopeId() {
    return scopeId;
  }

  /** Runs every check, cleans up, and returns the results in order. */
  List<Result> run() {
    List<Result> results = new ArrayList<>();
    Consumer<Result> record = result -> {
      results.add(result);
      listener.accept(result);
    };
    try {
      check(record, "put/get round trip of a JSON object", this::roundTrip);
      check(record, "ttl reports the time left", this::ttl);
      check(record, "touch gives an entry a new TTL", this::touch);
      check(record, "an entry with a 1s TTL expires", this::expiry);
      check(record, "putIfAbsent stores only when absent", this::putIfAbsent);
      check(record, "increment is atomic (" + THREADS + " threads x " + INCREMENTS_PER_THREAD + ")",
          this::increment);
      check(record, "getAll/putAll/deleteAll", this::bulk);
      check(record, "keys(glob) lists the matching keys", this::keys);
      check(record, "scoped views are isolated", this::scoped);
      check(record, "invalidateTags drops tagged entries", this::tags);
      check(record, "remember runs the loader once for " + THREADS + " concurrent callers",
          this::remember);
      check(record, "delete removes the entry", this::delete);
    } finally {
      check(record, "clean up the test scope", this::cleanUp);
    }
    return results;
  }

  // ---- checks

  private void roundTrip() {
    Sample sample = new Sample("42", "Zoë Ωmega", 7, List.of("admin", "author"),
        Instant.parse("2024-05-01T12:30:00.123Z"));
    put(scope, "object", sample, TTL);
    expectEqual(sample, scope.get("object", Sample.class), "value read back");
  }

  private void ttl() {
    put(scope, "ttl", "x", TTL);
    Optional<Duration> left = scope.ttl("ttl");
    expect(left.isPresent(), "ttl of a live entry is empty");
    expect(!left.get().isNegative() && left.get().compareTo(TTL) <= 0,
        "ttl of an entry put for " + TTL + " is " + left.get());
    expectEqual(Optional.empty(), scope.ttl("never-written"), "ttl of an absent key");
  }

  private void touch() {
    put(scope, "touched", "x", TTL);
    Duration longer = TTL.multipliedBy(2);
    expect(scope.touch("touched", longer), "touch of a live entry returned false");
    Duration left =
        scope.ttl("touched").orElseThrow(() -> new Mismatch("the touched entry is gone"));
    expect(left.compareTo(TTL) > 0 && left.compareTo(longer) <= 0,
        "after touch(" + longer + ") ttl is " + left);
    expect(!scope.touch("never-written", longer), "touch of an absent key returned true");
  }

  private void expiry() throws InterruptedException {
    put(scope, "short-lived", "x", SHORT_TTL);
    long deadline = System.nanoTime() + EXPIRY_DEADLINE.toNanos();
    while (scope.contains("short-lived")) {
      if (System.nanoTime() > deadline) {
        throw new Mismatch("still there " + EXPIRY_DEADLINE.toSeconds() + "s after it was put");
      }
      // Real time has to pass here: this checks the store's own expiry, not an injected clock.
      TimeUnit.MILLISECONDS.sleep(100);
    }
    expectEqual(null, scope.get("short-lived", String.class), "get after expiry");
  }

  private void putIfAbsent() {
    written(scope, "once");
    expect(scope.putIfAbsent("once", "first", TTL), "the first putIfAbsent returned false");
    expect(!scope.putIfAbsent("once", "second", TTL), "the second putIfAbsent returned true");
    expectEqual("first", scope.get("once", String.class), "value after two putIfAbsent calls");
  }

  private void increment() throws Exception {
    written(scope, "counter");
    Set<Long> returned = ConcurrentHashMap.newKeySet();
    concurrently(() -> {
      for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
        returned.add(scope.increment("counter", 1, TTL));
      }
      return null;
    });
    long total = (long) THREADS * INCREMENTS_PER_THREAD;
    expectEqual(total, scope.get("counter", Long.class), "counter after " + total + " increments");
    expectEqual(total, (long) returned.size(), "distinct values returned by increment");
    expectEqual(total - 3, scope.increment("counter", -3, TTL), "after decrementing by 3");
  }

  private void bulk() {
    Map<String, String> entries = Map.of("bulk:1", "one", "bulk:2", "two", "bulk:3", "three");
    written(scope, entries.keySet().toArray(new String[0]));
    scope.putAll(entries, TTL);
    List<String> asked = List.of("bulk:1", "bulk:2", "bulk:3", "bulk:absent");
    expectEqual(entries, scope.getAll(asked, String.class), "getAll after putAll");
    expectEqual(3L, scope.deleteAll(asked), "entries removed by deleteAll");
    expectEqual(Map.of(), scope.getAll(asked, String.class), "getAll after deleteAll");
  }

  private void keys() {
    put(scope, "list:a", "a", TTL);
    put(scope, "list:b", "b", TTL);
    put(scope, "other", "c", TTL);
    Set<String> found;
    try (Stream<String> keys = scope.keys("list:*")) {
      found = keys.collect(Collectors.toCollection(TreeSet::new));
    } catch (UnsupportedOperationException e) {
      canListKeys = false;
      throw new Skipped("store cannot list keys");
    }
    expectEqual(new TreeSet<>(Set.of("list:a", "list:b")), found, "keys(\"list:*\")");
  }

  private void scoped() {
    Cache a = view(scope.scoped("tenant", "a"));
    Cache b = view(scope.scoped("tenant", "b"));
    put(a, "shared", "for a", TTL);
    put(b, "shared", "for b", TTL);
    expectEqual("for a", a.get("shared", String.class), "tenant a reads");
    expectEqual("for b", b.get("shared", String.class), "tenant b reads");
    expectEqual(null, scope.get("shared", String.class), "the parent scope reads");
    a.delete("shared");
    expectEqual("for b", b.get("shared", String.class), "tenant b reads after tenant a deleted");
  }

  private void tags() {
    Cache users = view(scope.tagged("users"));
    Cache both = view(scope.tagged(TAGS));
    Cache posts = view(scope.tagged("posts"));
    put(users, "user:1", "u", TTL);
    put(both, "post:1", "p1", TTL);
    put(posts, "post:2", "p2", TTL);
    expectEqual("u", users.get("user:1", String.class), "a tagged entry before invalidation");
    scope.invalidateTags("users");
    expectEqual(null, users.get("user:1", String.class), "an entry tagged users, invalidated");
    expectEqual(null, both.get("post:1", String.class),
        "an entry tagged users and posts, after invalidating users");
    expectEqual("p2", posts.get("post:2", String.class), "an entry tagged only posts");
  }

  private void remember() throws Exception {
    written(scope, "remembered");
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch calling = new CountDownLatch(THREADS);
    List<Object> values = concurrently(() -> {
      calling.countDown();
      return scope.remember("remembered", String.class, TTL, () -> {
        loads.incrementAndGet();
        try {
          // Hold the load until every caller has started, so they really overlap.
          calling.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "loaded";
      });
    });
    expectEqual(1, loads.get(), "loader runs");
    expectEqual(List.of("loaded"), values.stream().distinct().toList(), "values the callers got");
  }

  private void delete() {
    put(scope, "doomed", "x", TTL);
    expect(scope.delete("doomed"), "delete of a live entry returned false");
    expect(!scope.contains("doomed"), "contains after delete returned true");
    expectEqual(null, scope.get("doomed", String.class), "get after delete");
    expect(!scope.delete("doomed"), "a second delete returned true");
  }

  private void cleanUp() {
    written.forEach((view, keys) -> view.deleteAll(keys));
    scope.invalidateTags(TAGS);
    if (!canListKeys) {
      throw new Skipped("store cannot list keys; deleted each entry written (all expire within "
          + TTL.toMinutes() + "m anyway)");
    }
    scope.clear();
    Set<String> left = new TreeSet<>();
    for (Cache view : views) {
      try (Stream<String> keys = view.keys("*")) {
        keys.forEach(left::add);
      }
    }
    try (Stream<String> keys = scope.keys("*")) {
      keys.forEach(left::add);
    }
    expectEqual(Set.of(), left, "keys left in the test scope");
  }

  // ---- plumbing

  /** A check's body; {@link Mismatch} and {@link Skipped} have special meaning. */
  private interface Check {
    void run() throws Exception;
  }

  private void check(Consumer<Result> record, String name, Check body) {
    Result result;
    try {
      body.run();
      result = new Result(name, Status.PASSED, null);
    } catch (Skipped e) {
      result = new Result(name, Status.SKIPPED, "skipped: " + e.getMessage());
    } catch (Mismatch e) {
      result = new Result(name, Status.FAILED, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = new Result(name, Status.FAILED, "interrupted");
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      result = new Result(name, Status.FAILED,
          cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    record.accept(result);
  }

  private Cache view(Cache view) {
    views.add(view);
    return view;
  }

  private void put(Cache view, String key, Object value, Duration ttl) {
    written(view, key);
    view.put(key, value, ttl);
  }

  private void written(Cache view, String... keys) {
    written.computeIfAbsent(view, v -> new LinkedHashSet<>()).addAll(List.of(keys));
  }

  /** Runs {@code task} on {@value #THREADS} threads at once and returns what each returned. */
  private static <T> List<T> concurrently(Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (TimeoutException e) {
          throw new Mismatch("a thread did not finish within " + WAIT.toSeconds() + "s");
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void expect(boolean condition, String failure) {
    if (!condition) {
      throw new Mismatch(failure);
    }
  }

  private static void expectEqual(Object expected, Object actual, String what) {
    if (!Objects.equals(expected, actual)) {
      throw new Mismatch(what + ": expected " + expected + ", got " + actual);
    }
  }

  /** A check found the store doing something other than what it should. */
  private static final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  /** A check cannot run on this store. */
  private static final class Skipped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Skipped(String message) {
      super(message, null, false, false);
    }
  }
}
