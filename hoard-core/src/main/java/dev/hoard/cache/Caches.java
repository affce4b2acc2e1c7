package dev.hoard.cache;

import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.FailureMode;
import dev.hoard.cache.resilience.ReplayOverflowPolicy;
import dev.hoard.cache.resilience.ResilientCacheStore;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.CacheStoreProvider;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.codec.Codec;
import dev.hoard.codec.Codecs;
import dev.hoard.codec.Compression;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens caches and stores from URLs such as {@code memory://?maximumSize=10000}, {@code
 * file:///var/cache/app} or {@code redis://host:6379/0?prefix=app:}. Stores are found by scheme
 * with {@link ServiceLoader}: putting {@code hoard-redis} on the classpath makes {@code redis://}
 * work.
 *
 * <p>Besides the store's own parameters every URL accepts {@code name}, {@code ttl} (the default
 * TTL, e.g. {@code 10m}), {@code codec} ({@code json}, the default, {@code smile}, {@code
 * cbor}, {@code msgpack}, {@code utf8}, {@code bytes}, or {@code signed-java}: Java serialization
 * signed with the base64 key of at least 32 bytes in the {@value #CODEC_KEY_VARIABLE} environment
 * variable, for the classes {@code codecAllow} lists, e.g. {@code com.example.model.*,java.util.*}),
 * {@code compress} ({@code zstd} or {@code lz4}: values of at least {@code compressAbove} bytes,
 * default 1024, are stored compressed; see {@link Codecs#compressed}), and for
 * failures ({@link dev.hoard.cache.resilience.ResilientCacheStore}): {@code failure} ({@code open},
 * the default: reads miss and writes are dropped; {@code strict}: errors reach the caller; {@code
 * fallback}: an in-memory store stands in), {@code breakerFailures} (failures in a row that open
 * the circuit breaker, default 5) and {@code breakerCoolDown} (how long it stays open, e.g.
 * {@code 500ms}, default 1s), {@code replayQueue} (keys invalidated during an outage that are kept
 * and replayed on recovery, default 10000) and {@code replayOverflow} ({@code clear}, the default:
 * beyond that the store is cleared on recovery; {@code drop}: further invalidations are forgotten),
 * and {@code rememberLock} (a lease such as {@code 30s}: {@code
 * remember} loads once across every process sharing the store, see {@link
 * CacheBuilder#rememberLock}).
 *
 * <p>In the {@code open} and {@code fallback} failure modes a cache opens even when its server is
 * down (stores that can, such as Redis, connect in the background and the cache fails open or
 * falls back until then); a {@code strict} cache and {@link #openStore} need the server up ({@link
 * #openStoreConnectingInBackground} does not, for {@link Cache#builder}).
 */
public final class Caches {

  /** The environment variable operators set to choose the cache store. */
  public static final String URL_VARIABLE = "HOARD_CACHE_URL";

  /** The environment variable that holds the base64 key of {@code codec=signed-java}. */
  public static final String CODEC_KEY_VARIABLE = "HOARD_CODEC_KEY";

  private static final long DEFAULT_COMPRESS_ABOVE = 1024;

  private Caches() {}

  /**
   * Opens a cache on the system clock.
   *
   * @throws IllegalArgumentException if the scheme is unknown or a parameter is unknown or bad
   */
  public static Cache open(String url) {
    return open(url, Clock.systemUTC());
  }

  /** Opens a cache whose expiry follows {@code clock}; tests pass a clock they can advance. */
  public static Cache open(String url, Clock clock) {
    StoreUrl parsed = StoreUrl.parse(url);
    // The cache's own parameters are taken before the store sees the URL, so that a store which
    // hands its leftover parameters to a driver (jdbc:) never passes these on.
    Optional<String> name = parsed.take("name");
    Optional<Duration> ttl = parsed.takeDuration("ttl");
    Optional<Codec> codec = codec(parsed, System::getenv);
    Optional<Duration> rememberLock = parsed.takeDuration("rememberLock");
    Optional<FailureMode> mode = failureMode(parsed);
    Consumer<CacheBuilder> failures = failureSettings(parsed, mode);
    // Only a strict cache needs its server at start-up; the others fail open until it is there.
    boolean strict = mode.orElse(FailureMode.FAIL_OPEN) == FailureMode.STRICT;
    CacheStore store = openStore(parsed, clock, !strict);
    try {
      CacheBuilder builder = Cache.builder(store);
      name.ifPresent(builder::name);
      ttl.ifPresent(builder::defaultTtl);
      codec.ifPresent(builder::codec);
      rememberLock.ifPresent(builder::rememberLock);
      failures.accept(builder);
      parsed.rejectUnknownParameters();
      return builder.build();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Takes {@code codec}, {@code codecAllow}, {@code compress} and {@code compressAbove} out of the
   * URL: the codec they name, or empty for the cache's default.
   */
  static Optional<Codec> codec(StoreUrl url, Function<String, String> environment) {
    Optional<String> name = url.take("codec");
    Optional<String> allow = url.take("codecAllow");
    Optional<String> compress = url.take("compress");
    Optional<Long> compressAbove = url.takeLong("compressAbove");
    if (allow.isPresent() && !name.equals(Optional.of("signed-java"))) {
      throw new IllegalArgumentException(
          "parameter 'codecAllow' only applies to codec=signed-java, in " + url);
    }
    if (compressAbove.isPresent() && compress.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter 'compressAbove' needs compress=zstd or compress=lz4, in " + url);
    }
    if (name.isEmpty() && compress.isEmpty()) {
      return Optional.empty();
    }
    Codec codec;
    try {
      codec = name.map(value -> value.equals("signed-java")
          ? signedJava(url, allow, environment) : Codecs.named(value)).orElse(Codecs.json());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter 'codec': " + e.getMessage() + ", in " + url, e);
    }
    if (compress.isEmpty()) {
      return Optional.of(codec);
    }
    Compression compression;
    try {
      compression = Compression.fromUrlValue(compress.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "parameter 'compress': " + e.getMessage() + ", in " + url, e);
    }
    long threshold = compressAbove.orElse(DEFAULT_COMPRESS_ABOVE);
    if (threshold < 0 || threshold > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "parameter 'compressAbove' must be a size in bytes from 0, was " + threshold + " in "
              + url);
    }
    return Optional.of(Codecs.compressed(codec, compression, (int) threshold));
  }

  private static Codec signedJava(
      StoreUrl url, Optional<String> allow, Function<String, String> environment) {
    String encodedKey = environment.apply(CODEC_KEY_VARIABLE);
    if (encodedKey == null || encodedKey.isBlank()) {
      throw new IllegalArgumentException(
          "signed-java needs its key in the environment variable " + CODEC_KEY_VARIABLE
              + " (base64 of at least 32 random bytes, e.g. from `openssl rand -base64 32`)");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encodedKey.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          CODEC_KEY_VARIABLE + " is not base64; set it to e.g. the output of"
              + " `openssl rand -base64 32`", e);
    }
    List<String> classes = allow.map(value -> List.of(value.split(","))).orElse(List.of());
    if (classes.isEmpty()) {
      throw new IllegalArgumentException(
          "signed-java reads only the classes that codecAllow lists; add e.g."
              + " codecAllow=com.example.model.*,java.util.*");
    }
    return Codecs.signedJava(key, classes);
  }

  /** Takes the failure parameters out of the URL; the result applies them to a builder. */
  private static Optional<FailureMode> failureMode(StoreUrl url) {
    return url.take("failure").map(value -> {
      try {
        return FailureMode.fromUrlValue(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "parameter 'failure' must be open, strict or fallback, was '" + value + "' in " + url,
            e);
      }
    });
  }

  private static Consumer<CacheBuilder> failureSettings(
      StoreUrl url, Optional<FailureMode> mode) {
    CircuitBreakerSettings settings = CircuitBreakerSettings.defaults();
    Optional<Long> failures = url.takeLong("breakerFailures");
    Optional<Duration> coolDown = url.takeDuration("breakerCoolDown");
    if (failures.isPresent()) {
      if (failures.get() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "parameter 'breakerFailures' is too large: " + failures.get() + " in " + url);
      }
      settings = settings.consecutiveFailures(failures.get().intValue());
    }
    if (coolDown.isPresent()) {
      settings = settings.coolDown(coolDown.get());
    }
    Optional<CircuitBreakerSettings> breaker = failures.isPresent() || coolDown.isPresent()
        ? Optional.of(settings) : Optional.empty();
    Optional<Long> replayQueue = url.takeLong("replayQueue");
    Optional<ReplayOverflowPolicy> replayOverflow = url.take("replayOverflow").map(value -> {
      try {
        return ReplayOverflowPolicy.fromUrlValue(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "parameter 'replayOverflow' must be clear or drop, was '" + value + "' in " + url, e);
      }
    });
    if (replayQueue.isPresent() && replayQueue.get() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "parameter 'replayQueue' is too large: " + replayQueue.get() + " in " + url);
    }
    boolean replay = replayQueue.isPresent() || replayOverflow.isPresent();
    int capacity = replayQueue.orElse((long) ResilientCacheStore.DEFAULT_REPLAY_CAPACITY).intValue();
    ReplayOverflowPolicy policy = replayOverflow.orElse(ReplayOverflowPolicy.CLEAR);
    return builder -> {
      mode.ifPresent(builder::failureMode);
      breaker.ifPresent(builder::circuitBreaker);
      if (replay) {
        builder.invalidationReplay(capacity, policy);
      }
    };
  }

  /**
   * Opens just the store, for composing stores or using the SPI directly. Every parameter must be
   * one the store knows.
   */
  public static CacheStore openStore(String url, Clock clock) {
    return openStoreOnly(url, clock, ReservedKeySpace.CACHE, false);
  }

  /**
   * Opens just the store, for data of {@code space}: a store that prefixes its keys (Redis,
   * Memcached) then defaults to that space's prefix, such as {@code hoard:rl:} for the counters
   * of a {@link dev.hoard.ratelimit.RateLimiter}, so that clearing a cache never touches them.
   *
   * @throws IllegalArgumentException if the scheme or a parameter is unknown or bad, or the
   *     prefix overlaps another of Hoard's key spaces
   */
  public static CacheStore openStore(String url, Clock clock, ReservedKeySpace space) {
    return openStoreOnly(url, clock, space, false);
  }

  /**
   * Opens just the store like {@link #openStore}, but starts even when its server is down: stores
   * that can (Redis) connect in the background and fail their calls until then. For {@code
   * Cache.builder(store)} in the fail-open and fallback modes, which then behave as {@link #open}
   * does with the server down.
   *
   * @throws IllegalArgumentException if the scheme is unknown or a parameter is unknown or bad
   */
  public static CacheStore openStoreConnectingInBackground(String url, Clock clock) {
    return openStoreOnly(url, clock, ReservedKeySpace.CACHE, true);
  }

  /**
   * As {@link #openStoreConnectingInBackground(String, Clock)}, for data of {@code space} (see
   * {@link #openStore(String, Clock, ReservedKeySpace)}).
   */
  public static CacheStore openStoreConnectingInBackground(
      String url, Clock clock, ReservedKeySpace space) {
    return openStoreOnly(url, clock, space, true);
  }

  private static CacheStore openStoreOnly(
      String url, Clock clock, ReservedKeySpace space, boolean connectInBackground) {
    StoreUrl parsed = StoreUrl.parse(url).forKeySpace(space);
    CacheStore store = openStore(parsed, clock, connectInBackground);
    try {
      parsed.rejectUnknownParameters();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private static CacheStore openStore(StoreUrl url, Clock clock, boolean connectInBackground) {
    Objects.requireNonNull(clock, "clock");
    Map<String, CacheStoreProvider> providers = providers();
    CacheStoreProvider provider = providers.get(url.scheme());
    if (provider == null) {
      throw new IllegalArgumentException(
          "unknown cache URL scheme '" + url.scheme() + "' in " + url + "; known schemes: "
              + providers.keySet()
              + " (add hoard-redis, hoard-memcached or hoard-jdbc to the classpath for more)");
    }
    return connectInBackground
        ? provider.openConnectingInBackground(url, clock)
        : provider.open(url, clock);
  }

  /** The providers on the classpath, by scheme. */
  static Map<String, CacheStoreProvider> providers() {
    Map<String, CacheStoreProvider> providers = new TreeMap<>();
    for (CacheStoreProvider provider : ServiceLoader.load(CacheStoreProvider.class)) {
      for (String scheme : provider.schemes()) {
        providers.putIfAbsent(scheme, provider);
      }
    }
    return providers;
  }
}
