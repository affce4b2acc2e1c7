package dev.hoard.redis.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code redis-server} processes a test starts on free loopback ports, each with a generated
 * config in a temporary directory: single servers, a Redis Cluster, a Sentinel setup, a TLS
 * server. {@link #close()} kills them all; a JVM shutdown hook does too if the test never gets
 * there.
 */
public final class RedisServers implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final Map<Integer, Process> byPort = new HashMap<>();
  private final Thread killer = new Thread(this::killAll, "redis-servers-killer");

  public RedisServers() {
    try {
      dir = Files.createTempDirectory("hoard-redis-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** The temporary directory holding configs, data and logs. */
  public Path dir() {
    return dir;
  }

  /**
   * A port nobody listens on right now and that this JVM has not handed out before: a server
   * started on an earlier port may not have bound it yet, and the system would offer it again
   * (a cluster's node and bus ports are picked back to back).
   */
  public static int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Starts a plain server with extra config lines and waits until it answers PING.
   *
   * @return its port
   */
  public int startServer(String... config) {
    int port = freePort();
    List<String> lines = new ArrayList<>(List.of("port " + port));
    lines.addAll(List.of(config));
    launch("server-" + port, false, lines);
    byPort.put(port, processes.get(processes.size() - 1));
    awaitPing(port);
    return port;
  }

  /**
   * Starts a server that speaks only TLS, with {@code certificate} and {@code key} (PEM) and no
   * client certificates required, and waits until it accepts connections.
   *
   * @return its TLS port
   */
  public int startTlsServer(Path certificate, Path key, String... config) {
    int port = freePort();
    List<String> lines = new ArrayList<>(List.of(
        "port 0",
        "tls-port " + port,
        "tls-cert-file " + certificate,
        "tls-key-file " + key,
        "tls-ca-cert-file " + certificate,
        "tls-auth-clients no"));
    lines.addAll(List.of(config));
    launch("tls-" + port, false, lines);
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      }
    });
    return port;
  }

  /**
   * Writes a self-signed certificate for {@code 127.0.0.1} and {@code localhost}, valid for two
   * days, as {@code certificate.pem} and {@code key.pem} in a new directory.
   *
   * @return that directory
   */
  public Path selfSignedCertificate() {
    try {
      Path tls = Files.createDirectories(dir.resolve("tls"));
      run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
          "-keyout", tls.resolve("key.pem").toString(),
          "-out", tls.resolve("certificate.pem").toString()));
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the server {@link #startServer} started on {@code port}, as a crash would. */
  public void kill(int port) {
    Process process = byPort.get(port);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Freezes the server on {@code port} with {@code SIGSTOP}: its connections stay open but it
   * answers nothing, as a process stuck in a long GC pause or a hung VM would.
   */
  public void freeze(int port) {
    signal(port, "-STOP");
  }

  /** Lets a server {@link #freeze} stopped run again ({@code SIGCONT}). */
  public void thaw(int port) {
    signal(port, "-CONT");
  }

  private void signal(int port, String signal) {
    Process process = byPort.get(port);
    if (process == null) {
      throw new IllegalArgumentException("no server was started on port " + port);
    }
    run(List.of("kill", signal, Long.toString(process.pid())));
  }

  /**
   * Starts a server {@link #kill} stopped again on the same port with the same config, as an
   * operator restarting a crashed Redis would, and waits until it answers PING. It comes back
   * empty unless it was started with {@code appendonly yes}.
   */
  public void restart(int port) {
    Process old = byPort.get(port);
    if (old == null) {
      throw new IllegalArgumentException("no server was started on port " + port);
    }
    if (old.isAlive()) {
      throw new IllegalStateException("the server on port " + port + " still runs; kill it first");
    }
    Path home = dir.resolve("server-" + port);
    try {
      Process process = new ProcessBuilder("redis-server", home.resolve("redis.conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log.txt").toFile()))
          .start();
      synchronized (this) {
        processes.add(process);
      }
      byPort.put(port, process);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server could not restart on port " + port, e);
    }
    awaitPing(port);
  }

  /**
   * Starts {@code masters} cluster-enabled servers, joins them into one cluster with no replicas
   * and waits until every node reports {@code cluster_state:ok}.
   *
   * @return a {@code redis-cluster://} URL naming every node
   */
  public String startCluster(int masters) {
    return startCluster(masters, 0, Duration.ofSeconds(5));
  }

  /**
   * Starts a cluster of {@code masters} masters with {@code replicasPerMaster} replicas each and
   * the given {@code cluster-node-timeout} (how long a silent master takes to be declared failed
   * and replaced), and waits until every node reports {@code cluster_state:ok} and every replica
   * is in sync. {@link #kill} and {@link #freeze} work on its nodes. With replicas, the masters
   * keep serving their own slots while another master's are uncovered ({@code
   * cluster-require-full-coverage no}), as a cache cluster should be set up.
   *
   * @return a {@code redis-cluster://} URL naming every node
   */
  public String startCluster(int masters, int replicasPerMaster, Duration nodeTimeout) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
      int port = freePort();
      launch("cluster-" + port, false, List.of(
          "port " + port,
          "cluster-enabled yes",
          "cluster-port " + freePort(),
          "cluster-config-file nodes.conf",
          "cluster-node-timeout " + nodeTimeout.toMillis(),
          "cluster-require-full-coverage " + (replicasPerMaster > 0 ? "no" : "yes")));
      byPort.put(port, processes.get(processes.size() - 1));
      ports.add(port);
    }
    List<String> create = new ArrayList<>(List.of("--cluster", "create"));
    ports.forEach(port -> awaitPing(port));
    ports.forEach(port -> create.add("127.0.0.1:" + port));
    create.addAll(List.of("--cluster-replicas", "" + replicasPerMaster, "--cluster-yes"));
    cli(ports.get(0), create.toArray(String[]::new));
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).until(() -> ports.stream()
        .allMatch(port -> cli(port, "cluster", "info").contains("cluster_state:ok")
            && (cli(port, "role").startsWith("master")
                || cli(port, "info", "replication").contains("master_link_status:up"))));
    StringBuilder url = new StringBuilder("redis-cluster://");
    for (int port : ports) {
      url.append(url.length() > "redis-cluster://".length() ? "," : "").append("127.0.0.1:").append(port);
    }
    return url.toString();
  }

  /**
   * Starts a master, a replica of it and one Sentinel (quorum 1) monitoring it as {@code
   * mymaster}, and waits until the Sentinel reports the master and the replica is in sync.
   *
   * @return a {@code redis-sentinel://} URL for the Sentinel and master name
   */
  public String startSentinel() {
    int master = startServer();
    int replica = startServer("replicaof 127.0.0.1 " + master);
    int sentinel = freePort();
    launch("sentinel-" + sentinel, true, List.of(
        "port " + sentinel,
        "sentinel monitor mymaster 127.0.0.1 " + master + " 1",
        "sentinel down-after-milliseconds mymaster 5000"));
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).until(() ->
        cli(sentinel, "sentinel", "get-master-addr-by-name", "mymaster")
            .contains(Integer.toString(master))
        && cli(replica, "info", "replication").contains("master_link_status:up"));
    return "redis-sentinel://127.0.0.1:" + sentinel + "/mymaster";
  }

  /** Runs {@code redis-cli -p port args…} and returns what it printed. */
  public String cli(int port, String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "" + port));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command to completion and returns its output; fails if it exits non-zero. */
  public String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(command + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitPing(int port) {
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> cli(port, "ping").contains("PONG"));
  }

  private synchronized void launch(String name, boolean sentinel, List<String> config) {
    try {
      Path home = Files.createDirectories(dir.resolve(name));
      List<String> lines = new ArrayList<>(config);
      lines.addAll(List.of("bind 127.0.0.1", "dir " + home, "daemonize no", "logfile \"\""));
      if (!sentinel && config.stream().noneMatch(line -> line.startsWith("appendonly "))) {
        // No persistence unless the test asks for it: later lines would override its choice.
        lines.addAll(List.of("save \"\"", "appendonly no"));
      }
      Path conf = Files.write(home.resolve("redis.conf"), lines, UTF_8);
      List<String> command = new ArrayList<>(List.of("redis-server", conf.toString()));
      if (sentinel) {
        command.add("--sentinel");
      }
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(home.resolve("log.txt").toFile())
          .start();
      processes.add(process);
    } catch (IOException e) {
      throw new UncheckedIOException("redis-server could not start; is Redis installed?", e);
    }
  }

  private synchronized void killAll() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    for (Process process : processes) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    processes.clear();
  }

  /** Kills every process this started and deletes the temporary directory. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it kills what is left
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
