package dev.hoard.demo;

import dev.hoard.cache.spi.Durations;
import dev.hoard.demo.internal.CacheTtls;
import dev.hoard.demo.internal.DemoServer;
import dev.hoard.servlet.TrustedProxies;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
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
  /** The largest request body read when no other limit is given: 64 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  /** How long a bearer token lives when no other lifetime is given. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);

  /** What the demo caches, each with its own time to live ({@link Builder#cacheTtl}). */
  public enum Cached {
    /** User profiles; 1 hour unless set. */
    PROFILES(Duration.ofHours(1)),
    /** A user's whole task list; 5 minutes unless set. */
    TASK_LISTS(Duration.ofMinutes(5)),
    /** Single tasks; 10 minutes unless set. */
    TASKS(Duration.ofMinutes(10)),
    /** Task search results; 1 minute unless set. */
    SEARCHES(Duration.ofMinutes(1));

    private final Duration defaultTtl;

    Cached(Duration defaultTtl) {
      this.defaultTtl = defaultTtl;
    }

    /** The time to live used unless one is set. */
    public Duration defaultTtl() {
      return defaultTtl;
    }

    /** The environment variable {@link #main} reads this kind's TTL from. */
    public String variable() {
      return "HOARD_DEMO_TTL_" + name();
    }
  }

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
   * {@code HOARD_SESSION_URL} and {@code HOARD_DATA_DIR} ({@code hoard demo} takes the same
   * settings as options), and {@code HOARD_DEMO_JWT_KEY} (base64, at least 32 bytes), {@code
   * HOARD_DEMO_TOKEN_LIFETIME}, {@code HOARD_DEMO_TRUSTED_PROXIES} (comma-separated addresses or
   * ranges), {@code HOARD_DEMO_MAX_BODY_BYTES} and the {@link Cached#variable() TTL of each cached
   * kind} from the environment.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder builder = builder();
    String port = System.getenv("PORT");
    if (port != null && !port.isBlank()) {
      builder.port(integer("PORT", port));
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
    TodoDemo demo = builder.environment(System.getenv()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
    System.out.println("Hoard Todo demo: " + demo.uri());
    demo.join();
  }

  private static String value(Map<String, String> environment, String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
    }
  }

  private static Duration duration(String name, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " " + e.getMessage() + " (e.g. 90s, 5m, 1h)", e);
    }
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
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private TrustedProxies trustedProxies = TrustedProxies.none();
    private byte[] tokenKey;
    private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
    private final Map<Cached, Duration> ttls = new EnumMap<>(Cached.class);

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
     * The largest request body the API reads, in bytes; larger ones get 413 before any of it is
     * used. {@value TodoDemo#DEFAULT_MAX_BODY_BYTES} unless set.
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The reverse proxies whose {@code X-Forwarded-For} names the client, for rate limits and
     * sessions; {@link TrustedProxies#none()} (the direct peer is the client) unless set.
     */
    public Builder trustedProxies(TrustedProxies proxies) {
      this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
      return this;
    }

    /**
     * The HS256 key bearer tokens are signed with, at least 32 bytes. Unless set, a random key
     * is made at start (and logged as such): tokens then die with the process and are not
     * accepted by other instances.
     */
    public Builder tokenKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length < 32) {
        throw new IllegalArgumentException("the token key must be at least 32 bytes (256 bits)"
            + " for HS256, was " + key.length);
      }
      this.tokenKey = key.clone();
      return this;
    }

    /** How long a bearer token from {@code POST /api/auth/token} is accepted; 15 minutes unless set. */
    public Builder tokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isNegative() || lifetime.isZero()) {
        throw new IllegalArgumentException("tokenLifetime must be positive, was " + lifetime);
      }
      this.tokenLifetime = lifetime;
      return this;
    }

    /** How long entries of this kind stay cached; {@link Cached#defaultTtl()} unless set. */
    public Builder cacheTtl(Cached kind, Duration ttl) {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException(
            "the TTL of " + kind.name().toLowerCase(Locale.ROOT) + " must be positive, was " + ttl);
      }
      ttls.put(kind, ttl);
      return this;
    }

      /**
       * Takes the settings given by these environment variables ({@link System#getenv()} in
       * {@link TodoDemo#main} and {@code hoard demo}): {@code HOARD_DEMO_JWT_KEY}, {@code
       * HOARD_DEMO_TOKEN_LIFETIME}, {@code HOARD_DEMO_TRUSTED_PROXIES}, {@code
       * HOARD_DEMO_MAX_BODY_BYTES} and {@link Cached#variable()}; unset or blank ones change nothing.
       *
       * @throws IllegalArgumentException naming the variable whose value is bad
       */
      public Builder environment(Map<String, String> environment) {
      String key = value(environment, "HOARD_DEMO_JWT_KEY");
      if (key != null) {
        try {
          tokenKey(Base64.getDecoder().decode(key));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("HOARD_DEMO_JWT_KEY must be base64 (e.g. from"
              + " 'openssl rand -base64 32'): " + e.getMessage(), e);
        }
      }
      String lifetime = value(environment, "HOARD_DEMO_TOKEN_LIFETIME");
      if (lifetime != null) {
        tokenLifetime(duration("HOARD_DEMO_TOKEN_LIFETIME", lifetime));
      }
      String proxies = value(environment, "HOARD_DEMO_TRUSTED_PROXIES");
      if (proxies != null) {
        trustedProxies(TrustedProxies.of(proxies.split("\\s*,\\s*")));
      }
      String maxBody = value(environment, "HOARD_DEMO_MAX_BODY_BYTES");
      if (maxBody != null) {
        maxBodyBytes(integer("HOARD_DEMO_MAX_BODY_BYTES", maxBody));
      }
      for (Cached kind : Cached.values()) {
        String ttl = value(environment, kind.variable());
        if (ttl != null) {
          cacheTtl(kind, duration(kind.variable(), ttl));
        }
      }
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
          dataDirectory, loginLimit, loginWindow, clock, maxBodyBytes, trustedProxies, tokenKey,
          tokenLifetime, new CacheTtls(ttl(Cached.PROFILES), ttl(Cached.TASK_LISTS),
              ttl(Cached.TASKS), ttl(Cached.SEARCHES)))));
    }

    private Duration ttl(Cached kind) {
      return ttls.getOrDefault(kind, kind.defaultTtl());
    }
  }
}
