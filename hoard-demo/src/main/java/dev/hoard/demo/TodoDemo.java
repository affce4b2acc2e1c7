package dev.hoard.demo;

import dev.hoard.demo.internal.DemoServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The Todo demo service: users and tasks in SQLite, read through a Hoard cache, sessions in a Hoard
 * session store, metrics at {@code /metrics} and a live dashboard at {@code /}. Start one with
 * {@link #builder()}; {@code hoard demo} and {@code java -jar hoard-demo.jar} run it with
 * defaults that need no servers.
 */
public final class TodoDemo implements AutoCloseable {

  /** The cache used when none is given: memory, bounded. */
  public static final String DEFAULT_CACHE_URL = "memory://?maximumSize=10000";
  /** Where data lives when no directory is given, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".hoard");
  /** The port used when none is given. */
  public static final int DEFAULT_PORT = 8080;

  private final DemoServer server;

  private TodoDemo(DemoServer server) {
    this.server = server;
  }

  /** The session store used when none is given: {@code sessions.db} in the data directory. */
  public static String sessionUrlUnder(Path dataDirectory) {
    return "jdbc:sqlite:" + dataDirectory.resolve("sessions.db");
  }

  /** Starts configuring a demo. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the demo until the process is stopped. Reads {@code PORT}, {@code HOARD_CACHE_URL},
   * {@code HOARD_SESSION_URL} and {@code HOARD_DATA_DIR} from the environment; {@code hoard demo}
   * takes the same settings as options.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder builder = builder();
    String port = System.getenv("PORT");
    if (port != null && !port.isBlank()) {
      try {
        builder.port(Integer.parseInt(port.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("PORT must be a port number, was '" + port + "'", e);
      }
    }
    String cache = System.getenv("HOARD_CACHE_URL");
    if (cache != null && !cache.isBlank()) {
      builder.cacheUrl(cache.trim());
    }
    String sessions = System.getenv("HOARD_SESSION_URL");
    if (sessions != null && !sessions.isBlank()) {
      builder.sessionUrl(sessions.trim());
    }
    String data = System.getenv("HOARD_DATA_DIR");
    if (data != null && !data.isBlank()) {
      builder.dataDirectory(Path.of(data.trim()));
    }
    TodoDemo demo = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
    System.out.println("Hoard Todo demo: " + demo.uri());
    demo.join();
  }

  /** Where the demo serves, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    return server.uri();
  }

  /** Blocks until the demo stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops serving and closes the stores; later calls do nothing. */
  @Override
  public void close() {
    server.close();
  }

  /** Configures a {@link TodoDemo}. */
  public static final class Builder {

    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private String cacheUrl = DEFAULT_CACHE_URL;
    private String sessionUrl;
    private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
    private int loginLimit = 10;
    private Duration loginWindow = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The address to listen on; {@code 127.0.0.1} unless set ({@code 0.0.0.0} for every one). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; {@value TodoDemo#DEFAULT_PORT} unless set, 0 for any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The cache store, e.g. {@code redis://localhost:6379/0?prefix=todo:}. */
    public Builder cacheUrl(String url) {
      this.cacheUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The session store, e.g. {@code redis://localhost:6379/0}; SQLite in the data directory
     * ({@link #sessionUrlUnder}) unless set.
     */
    public Builder sessionUrl(String url) {
      this.sessionUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /** Where the SQLite database of users and tasks lives; {@code ./.hoard} unless set. */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * How many login requests one client address may make per {@code window} (a sliding window)
     * before it gets 429; 10 per minute unless set.
     */
    public Builder loginLimit(int requests, Duration window) {
      this.loginLimit = requests;
      this.loginWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /** The clock of cache expiry, rate-limit windows and timestamps; the system's unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the stores and starts serving.
     *
     * @throws IllegalArgumentException if a URL or setting is bad
     * @throws IllegalStateException if the port is taken or a store cannot be opened
     */
    public TodoDemo start() {
      return new TodoDemo(DemoServer.start(new DemoServer.Settings(
          host, port, cacheUrl,
          sessionUrl != null ? sessionUrl : sessionUrlUnder(dataDirectory),
          dataDirectory, loginLimit, loginWindow, clock)));
    }
  }
}
