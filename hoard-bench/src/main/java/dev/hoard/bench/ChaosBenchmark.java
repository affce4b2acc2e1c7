package dev.hoard.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.LogManager;

/**
 * The chaos benchmark of issue 11: what an application sees when its Redis dies or hangs under
 * load, per failure mode. Not a JMH benchmark (nothing here is a steady state) and not a test (it
 * asserts nothing; it prints a table).
 *
 * <p>For each outage ({@code kill}: {@code kill -9} at 5 s, restarted on the same port at 12 s;
 * {@code freeze}: {@code SIGSTOP} at 5 s, {@code SIGCONT} at 12 s) and each mode (the cache with
 * {@code failure=open}, {@code failure=fallback} and {@code failure=strict}, and Redis sessions),
 * it starts a redis-server of its own on a free loopback port (append-only file, fsync always, so
 * that what Redis acknowledged survives the kill), runs 8 threads of mixed load for 25 s (cache:
 * 60% get, 30% put, 10% delete on keys each thread owns; sessions: load, change and save one of
 * the thread's sessions), and prints:
 *
 * <ul>
 *   <li><b>exceptions</b>: exceptions that reached the application;
 *   <li><b>p99 outage</b> and <b>max outage</b>: the 99th percentile and the longest latency of
 *       calls made during the outage (once a breaker is open most calls return at once, so the
 *       p99 can be far below the timeout that the first calls paid);
 *   <li><b>first write</b>: ms from the restart (or {@code SIGCONT}) to the first write that
 *       Redis really applied, found afterwards from a probe thread that writes a new key every
 *       5 ms;
 *   <li><b>lost</b>: writes acknowledged after the restart that Redis does not hold at the end:
 *       the probe writes (each a new key or session, so every one is checked), plus, for the
 *       mixed load, keys and sessions whose last acknowledged write is missing (a later write
 *       that failed but was applied anyway, as one that timed out may be, is not a loss) (goal 0);
 *   <li><b>stale</b>: reads after the restart that returned a value older than the last write
 *       (or delete) the thread was told succeeded; a miss does not count, nor does the value of a
 *       later write that failed, since Redis may have applied it (goal 0).
 * </ul>
 *
 * <p>Run it (redis-server must be on the PATH; it uses no shared server):
 *
 * <pre>
 * ./mvnw -B -q -pl hoard-bench -am package -DskipTests
 * java -cp hoard-bench/target/benchmarks.jar dev.hoard.bench.ChaosBenchmark [kill|freeze] [open|fallback|strict|sessions]
 * </pre>
 *
 * <p>With no arguments it runs every outage with every mode, about five minutes.
 */
public final class ChaosBenchmark {

  private static final int THREADS = 8;
  private static final long RUN_MILLIS = 25_000;
  private static final long OUTAGE_START_MILLIS = 5_000;
  private static final long OUTAGE_END_MILLIS = 12_000;
  private static final int KEYS_PER_THREAD = 200;
  private static final int SESSIONS_PER_THREAD = 20;
  private static final long PROBE_INTERVAL_MILLIS = 5;
  private static final int LATENCY_SAMPLES_PER_THREAD = 100_000;

  private ChaosBenchmark() {}

  /** Runs the outages and modes named on the command line, or all of them. */
  public static void main(String[] args) throws Exception {
    // Lettuce's reconnect chatter would bury the table.
    LogManager.getLogManager().reset();
    List<String> outages = pick(args, List.of("kill", "freeze"));
    List<String> modes = pick(args, List.of("open", "fallback", "strict", "sessions"));
    List<String> rows = new ArrayList<>();
    for (String outage : outages) {
      for (String mode : modes) {
        Result result = run(outage, mode);
        rows.add(result.row());
        System.out.println(result.row());
      }
    }
    System.out.println();
    System.out.println(Result.HEADER);
    System.out.println(Result.RULE);
    rows.forEach(System.out::println);
  }

  private static List<String> pick(String[] args, List<String> known) {
    List<String> chosen = Arrays.stream(args).filter(known::contains).toList();
    return chosen.isEmpty() ? known : chosen;
  }

  private static Result run(String outage, String mode) throws Exception {
    try (PrivateRedis redis = PrivateRedis.start()) {
      Workload workload = mode.equals("sessions")
          ? new SessionWorkload(redis.url("prefix=chaos:session:"))
          : new CacheWorkload(redis.url("prefix=chaos:&failure=" + mode));
      try (workload) {
        return drive(outage, mode, redis, workload);
      }
    }
  }

  private static Result drive(String outage, String mode, PrivateRedis redis, Workload workload)
      throws Exception {
    Clock clock = Clock.systemUTC();
    long start = System.nanoTime();
    long outageStart = start + TimeUnit.MILLISECONDS.toNanos(OUTAGE_START_MILLIS);
    long outageEnd = start + TimeUnit.MILLISECONDS.toNanos(OUTAGE_END_MILLIS);
    long end = start + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
    AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
    LongAdder exceptions = new LongAdder();
    LongAdder staleReads = new LongAdder();
    List<long[]> outageLatencies = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(THREADS + 1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      long[] latencies = new long[LATENCY_SAMPLES_PER_THREAD + 1];
      outageLatencies.add(latencies);
      threads.add(new Thread(() -> {
        SplittableRandom random = new SplittableRandom(thread);
        SplittableRandom sampling = new SplittableRandom(-thread);
        int recorded = 0;
        long seen = 0;
        try {
          while (System.nanoTime() < end) {
            long began = System.nanoTime();
            boolean afterRestart = began >= restartedAt.get();
            try {
              if (workload.step(thread, random, afterRestart)) {
                staleReads.increment();
              }
            } catch (RuntimeException e) {
              exceptions.increment();
            }
            long finished = System.nanoTime();
            if (began >= outageStart && began < outageEnd) {
              // A uniform sample of the outage's calls (reservoir sampling), in bounded memory.
              seen++;
              if (recorded < LATENCY_SAMPLES_PER_THREAD) {
                latencies[++recorded] = finished - began;
              } else {
                long slot = sampling.nextLong(seen);
                if (slot < LATENCY_SAMPLES_PER_THREAD) {
                  latencies[(int) slot + 1] = finished - began;
                }
              }
            }
          }
        } finally {
          latencies[0] = recorded;
          done.countDown();
        }
      }, "chaos-" + t));
    }
    List<Probe> probes = new ArrayList<>();
    Thread prober = new Thread(() -> {
      try {
        while (System.nanoTime() < end) {
          long now = System.nanoTime();
          if (now >= restartedAt.get()) {
            try {
              probes.add(new Probe(now - start, workload.probe()));
            } catch (RuntimeException e) {
              exceptions.increment();
            }
          }
          sleepMillis(PROBE_INTERVAL_MILLIS);
        }
      } finally {
        done.countDown();
      }
    }, "chaos-probe");
    threads.forEach(Thread::start);
    prober.start();

    sleepUntil(outageStart);
    if (outage.equals("kill")) {
      redis.kill();
    } else {
      redis.freeze();
    }
    sleepUntil(outageEnd);
    if (outage.equals("kill")) {
      redis.restart();
    } else {
      redis.thaw();
    }
    restartedAt.set(System.nanoTime());
    done.await();

    long firstApplied = probes.stream().filter(probe -> workload.applied(probe.id()))
        .mapToLong(Probe::elapsedNanos).findFirst().orElse(-1);
    long sinceRestart = firstApplied < 0 ? -1
        : TimeUnit.NANOSECONDS.toMillis(firstApplied - (restartedAt.get() - start));
    long[] latencies = sorted(outageLatencies);
    long p99 = latencies.length == 0 ? 0
        : latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))];
    long max = latencies.length == 0 ? 0 : latencies[latencies.length - 1];
    long lostProbes = probes.stream().filter(probe -> !workload.applied(probe.id())).count();
    return new Result(outage, mode, exceptions.sum(), TimeUnit.NANOSECONDS.toMillis(p99),
        TimeUnit.NANOSECONDS.toMillis(max), sinceRestart, lostProbes + workload.lostWrites(),
        staleReads.sum());
  }

  private static long[] sorted(List<long[]> perThread) {
    int count = 0;
    for (long[] latencies : perThread) {
      count += (int) latencies[0];
    }
    long[] all = new long[count];
    int at = 0;
    for (long[] latencies : perThread) {
      System.arraycopy(latencies, 1, all, at, (int) latencies[0]);
      at += (int) latencies[0];
    }
    Arrays.sort(all);
    return all;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A probe write the application was told succeeded: when it was made, and its key or token. */
  private record Probe(long elapsedNanos, String id) {}

  /** One row of the table. */
  private record Result(
      String outage, String mode, long exceptions, long p99OutageMillis, long maxOutageMillis,
      long firstWriteMillis, long lostWrites, long staleReads) {
    static final String HEADER = String.format(Locale.ROOT,
        "| %-7s | %-9s | %10s | %10s | %10s | %11s | %5s | %5s |",
        "outage", "mode", "exceptions", "p99 outage", "max outage", "first write", "lost",
        "stale");
    static final String RULE =
        "|---------|-----------|------------|------------|------------|-------------|-------|-------|";

    String row() {
      return String.format(Locale.ROOT,
          "| %-7s | %-9s | %10d | %7d ms | %7d ms | %11s | %5d | %5d |",
          outage, mode, exceptions, p99OutageMillis, maxOutageMillis,
          firstWriteMillis < 0 ? "never" : firstWriteMillis + " ms", lostWrites, staleReads);
    }
  }

  /** What the threads do, and how it is checked afterwards. */
  private interface Workload extends AutoCloseable {
    /** One call; true if it read a stale value after the restart. */
    boolean step(int thread, SplittableRandom random, boolean afterRestart);

    /** Writes a new entry and returns what names it, for {@link #firstAppliedProbe}. */
    String probe();

    /** Whether Redis holds the probe write {@code id} names. */
    boolean applied(String id);

    /** Writes acknowledged after the restart that Redis does not hold. */
    long lostWrites();

    @Override
    void close();
  }

  /** Cache load on keys each thread owns, so it knows what every read should return. */
  private static final class CacheWorkload implements Workload {
    private final Cache cache;
    private final Cache check;
    private final AtomicLong probes = new AtomicLong();
    // Per thread and key: the last acknowledged value (null: deleted or never written), and
    // whether that acknowledgement came after the restart.
    private final String[][] expected = new String[THREADS][KEYS_PER_THREAD];
    private final boolean[][] acknowledgedAfterRestart = new boolean[THREADS][KEYS_PER_THREAD];
    // Every write, put or delete, takes the next version of its thread; a value names its version,
    // so a read is stale when its version is below the last acknowledged one.
    private final long[][] acknowledgedVersion = new long[THREADS][KEYS_PER_THREAD];
    private final long[][] attemptedVersion = new long[THREADS][KEYS_PER_THREAD];
    private final long[] versions = new long[THREADS];

    CacheWorkload(String url) {
      this.cache = Caches.open(url);
      // Reads the truth afterwards: strict, so a failure cannot pass for a miss.
      this.check = Caches.open(url.replaceAll("failure=[a-z]+", "failure=strict"));
    }

    private static long version(String value) {
      return Long.parseLong(value.substring(value.indexOf(':') + 1));
    }

    private static String key(int thread, int index) {
      return "t" + thread + ":" + index;
    }

    @Override
    public boolean step(int thread, SplittableRandom random, boolean afterRestart) {
      int index = random.nextInt(KEYS_PER_THREAD);
      String key = key(thread, index);
      int dice = random.nextInt(10);
      if (dice < 6) {
        String value = cache.get(key, String.class);
        return afterRestart && value != null
            && version(value) < acknowledgedVersion[thread][index];
      }
      long version = ++versions[thread];
      attemptedVersion[thread][index] = version;
      String value = dice < 9 ? thread + ":" + version : null;
      if (value != null) {
        cache.put(key, value);
      } else {
        cache.delete(key);
      }
      expected[thread][index] = value;
      acknowledgedVersion[thread][index] = version;
      acknowledgedAfterRestart[thread][index] = afterRestart;
      return false;
    }

    @Override
    public String probe() {
      String key = "probe:" + probes.incrementAndGet();
      cache.put(key, "1");
      return key;
    }

    @Override
    public boolean applied(String id) {
      return check.contains(id);
    }

    @Override
    public long lostWrites() {
      long lost = 0;
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < KEYS_PER_THREAD; i++) {
          if (!acknowledgedAfterRestart[t][i]) {
            continue;
          }
          String value = check.get(key(t, i), String.class);
          // A later write that failed may have been applied: a newer value, or none after a
          // failed delete, is not a loss.
          boolean lostValue = value == null
              ? expected[t][i] != null && attemptedVersion[t][i] == acknowledgedVersion[t][i]
              : version(value) < acknowledgedVersion[t][i];
          if (lostValue) {
            lost++;
          }
        }
      }
      return lost;
    }

    @Override
    public void close() {
      cache.close();
      check.close();
    }
  }

  /** Session load: each thread loads, changes and saves its own sessions. */
  private static final class SessionWorkload implements Workload {
    private final SessionManager sessions;
    private final String[][] tokens = new String[THREADS][SESSIONS_PER_THREAD];
    private final long[][] saved = new long[THREADS][SESSIONS_PER_THREAD];
    // The counter of the last save attempted, acknowledged or not: a save that failed (timed
    // out) may have been applied, so finding its counter is not a loss.
    private final long[][] attempted = new long[THREADS][SESSIONS_PER_THREAD];
    private final boolean[][] savedAfterRestart = new boolean[THREADS][SESSIONS_PER_THREAD];

    SessionWorkload(String url) {
      this.sessions = Sessions.open(url);
    }

    /** The session's counter; the session codec may hand a small number back as an Integer. */
    private static Long counterOf(Session session) {
      return session.get("counter") instanceof Number number ? number.longValue() : null;
    }

    @Override
    public boolean step(int thread, SplittableRandom random, boolean afterRestart) {
      int index = random.nextInt(SESSIONS_PER_THREAD);
      Session session = sessions.open(tokens[thread][index], ClientInfo.UNKNOWN);
      Long counter = counterOf(session);
      boolean stale = afterRestart && !session.isNew() && counter != null
          && counter < saved[thread][index];
      long next = (session.isNew() || counter == null ? 0 : counter) + 1;
      session.put("counter", next);
      attempted[thread][index] = next;
      String token = sessions.save(session);
      if (token != null) {
        tokens[thread][index] = token;
        saved[thread][index] = next;
        savedAfterRestart[thread][index] = afterRestart;
      }
      return stale;
    }

    @Override
    public String probe() {
      Session session = sessions.create(ClientInfo.UNKNOWN);
      session.put("probe", true);
      return sessions.save(session);
    }

    @Override
    public boolean applied(String id) {
      return id != null && sessions.find(id, ClientInfo.UNKNOWN).isPresent();
    }

    @Override
    public long lostWrites() {
      long lost = 0;
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < SESSIONS_PER_THREAD; i++) {
          if (!savedAfterRestart[t][i]) {
            continue;
          }
          Session session = sessions.find(tokens[t][i], ClientInfo.UNKNOWN).orElse(null);
          Long counter = session == null ? null : counterOf(session);
          boolean lostValue = counter == null || counter < saved[t][i]
              || (counter > saved[t][i] && counter != attempted[t][i]);
          if (lostValue) {
            lost++;
          }
        }
      }
      return lost;
    }

    @Override
    public void close() {
      sessions.close();
    }
  }

  /** A redis-server of the benchmark's own on a free loopback port, to kill, freeze and restart. */
  private static final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private PrivateRedis(int port, Path dir) {
      this.port = port;
      this.dir = dir;
    }

    static PrivateRedis start() throws IOException {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path dir = Files.createTempDirectory("hoard-chaos");
      Files.write(dir.resolve("redis.conf"), List.of("port " + port, "bind 127.0.0.1",
          "dir " + dir, "appendonly yes", "appendfsync always", "save \"\"", "logfile \"\""));
      PrivateRedis redis = new PrivateRedis(port, dir);
      redis.launch();
      return redis;
    }

    String url(String parameters) {
      return "redis://127.0.0.1:" + port + "/0?" + parameters;
    }

    private void launch() {
      try {
        process = new ProcessBuilder("redis-server", dir.resolve("redis.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log.txt").toFile()))
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start redis-server; is it installed?", e);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
          socket.getOutputStream().write("PING\r\n".getBytes(UTF_8));
          byte[] reply = new byte[7];
          if (socket.getInputStream().read(reply) > 0 && new String(reply, UTF_8).startsWith("+PONG")) {
            return;
          }
        } catch (IOException notYet) {
          // still starting or loading its append-only file
        }
        sleepMillis(10);
      }
      throw new IllegalStateException("redis-server on port " + port + " did not start");
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    void restart() {
      launch();
    }

    void freeze() {
      signal("-STOP");
    }

    void thaw() {
      signal("-CONT");
    }

    private void signal(String signal) {
      try {
        new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
