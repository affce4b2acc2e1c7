package dev.hoard.session;

import dev.hoard.cache.spi.Durations;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.cache.spi.StoreUrl;
import dev.hoard.session.internal.ConnectingSessionStore;
import dev.hoard.session.spi.SessionBackend;
import dev.hoard.session.spi.SessionStoreProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Opens a {@link SessionManager} from a URL such as {@code memory://?maximumSize=100000}, {@code
 * cookie://?keys=<base64 key>}, {@code redis://host:6379?prefix=app:session:}, {@code
 * jdbc:postgresql://host/app} or {@code cache:memcached://host:11211}. Backends are found by scheme
 * with {@link ServiceLoader} on {@link SessionStoreProvider}.
 *
 * <p>Every URL also accepts {@code idleTimeout}, {@code absoluteTimeout} and {@code touchInterval}
 * (durations such as {@code 30m}), {@code binding} ({@code none}, {@code address}, {@code
 * user-agent} or {@code both}), {@code purgeInterval} (a duration, or {@code off}), {@code
 * regenerateOnLogin} ({@code true} or {@code false}) and, for server stores, {@code
 * encryptionKeys} ({@code <base64 key>[,<older key>…]}: attributes encrypted at rest, see {@link
 * SessionManager.Builder#encryptAttributes}).
 *
 * <p>A store that cannot be reached when the manager opens (down, not started yet) does not stop
 * the application: the manager opens anyway and connects in the background, and until then calls
 * that need the store throw {@link SessionStoreUnavailableException} (a {@code 503} from {@code
 * SessionFilter}). A bad URL still fails at once with {@link IllegalArgumentException}.
 */
public final class Sessions {

  /** The environment variable operators set to choose the session store. */
  public static final String URL_VARIABLE = "HOARD_SESSION_URL";

  /** The parameters the manager takes out of every URL before the backend sees it. */
  private static final List<String> SESSION_PARAMETERS =
      List.of("idleTimeout", "absoluteTimeout", "touchInterval", "binding", "purgeInterval");

  private Sessions() {}

  /**
   * Opens a manager on the system clock.
   *
   * @throws IllegalArgumentException if the scheme, or a parameter, is unknown or bad
   */
  public static SessionManager open(String url) {
    return open(url, Clock.systemUTC());
  }

  /** Opens a manager whose timeouts follow {@code clock}; tests pass a clock they can advance. */
  public static SessionManager open(String url, Clock clock) {
    return openWith(url, clock, null);
  }

  /**
   * Opens a manager that tells {@code listener} when sessions begin and end (for metrics, audit
   * logs), which a URL cannot say.
   */
  public static SessionManager open(String url, Clock clock, SessionListener listener) {
    Objects.requireNonNull(listener, "listener");
    return open(url, clock, builder -> builder.listener(listener));
  }

  /**
   * Opens a manager configured by the URL and then by {@code customize}, for what a URL cannot
   * say: listeners, a {@link SessionManager.Builder#revocations revocation store} for cookie
   * sessions. The backend is closed again if {@code customize} or building fails.
   *
   * @throws IllegalArgumentException if the scheme, or a parameter, is unknown or bad
   */
  public static SessionManager open(
      String url, Clock clock, Consumer<SessionManager.Builder> customize) {
    Objects.requireNonNull(customize, "customize");
    return openWith(url, clock, customize);
  }

  private static SessionManager openWith(
      String url, Clock clock, Consumer<SessionManager.Builder> customize) {
    Objects.requireNonNull(clock, "clock");
    StoreUrl parsed = StoreUrl.parse(url).forKeySpace(ReservedKeySpace.SESSIONS);
    // Taken before the backend sees the URL, so that a backend handing its leftover parameters to
    // a driver (jdbc:, cache:) never passes these on.
    Optional<Duration> idle = parsed.takeDuration("idleTimeout");
    Optional<Duration> absolute = parsed.takeDuration("absoluteTimeout");
    Optional<Duration> touch = parsed.takeDuration("touchInterval");
    Optional<ClientBinding> binding = parsed.take("binding").map(value -> binding(value, parsed));
    Optional<Duration> purge = parsed.take("purgeInterval").map(value -> interval(value, parsed));
    Optional<Boolean> regenerateOnLogin =
        parsed.take("regenerateOnLogin").map(value -> flag("regenerateOnLogin", value, parsed));
    Optional<KeyRing> encryptionKeys = parsed.take("encryptionKeys").map(value -> {
      try {
        return KeyRing.parse(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parameter 'encryptionKeys': " + e.getMessage(), e);
      }
    });
    SessionStoreProvider provider = provider(parsed);
    SessionBackend backend = openOrConnectLater(provider, parsed, url, clock);
    try {
      parsed.rejectUnknownParameters();
      SessionManager.Builder builder = SessionManager.builder(backend).clock(clock);
      idle.ifPresent(builder::idleTimeout);
      absolute.ifPresent(builder::absoluteTimeout);
      touch.ifPresent(builder::touchInterval);
      binding.ifPresent(builder::clientBinding);
      purge.ifPresent(builder::purgeInterval);
      regenerateOnLogin.ifPresent(builder::regenerateOnLogin);
      encryptionKeys.ifPresent(builder::encryptAttributes);
      if (customize != null) {
        customize.accept(builder);
      }
      return builder.build();
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  /**
   * Opens the backend; when its server cannot be reached (any failure but a bad URL), checks the
   * rest of the URL now and keeps connecting in the background, so the application starts.
   */
  private static SessionBackend openOrConnectLater(
      SessionStoreProvider provider, StoreUrl parsed, String url, Clock clock) {
    try {
      return provider.open(parsed, clock);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      parsed.rejectUnknownParameters();
      return new ConnectingSessionStore(parsed.toString(), () -> {
        StoreUrl again = StoreUrl.parse(url).forKeySpace(ReservedKeySpace.SESSIONS);
        SESSION_PARAMETERS.forEach(again::take);
        return provider.open(again, clock);
      }, e);
    }
  }

  private static ClientBinding binding(String value, StoreUrl url) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "none" -> ClientBinding.NONE;
      case "address" -> ClientBinding.ADDRESS;
      case "user-agent" -> ClientBinding.USER_AGENT;
      case "both" -> ClientBinding.ADDRESS_AND_USER_AGENT;
      default -> throw new IllegalArgumentException(
          "parameter 'binding' must be none, address, user-agent or both, was '" + value + "' in "
              + url);
    };
  }

  private static boolean flag(String name, String value, StoreUrl url) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(
        "parameter '" + name + "' must be true or false, was '" + value + "' in " + url);
  }

  private static Duration interval(String value, StoreUrl url) {
    if (value.equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "parameter 'purgeInterval' " + e.getMessage() + " (or off) in " + url, e);
    }
  }

  private static SessionStoreProvider provider(StoreUrl url) {
    Map<String, SessionStoreProvider> providers = new TreeMap<>();
    for (SessionStoreProvider provider : ServiceLoader.load(SessionStoreProvider.class)) {
      for (String scheme : provider.schemes()) {
        providers.putIfAbsent(scheme, provider);
      }
    }
    SessionStoreProvider provider = providers.get(url.scheme());
    if (provider == null) {
      throw new IllegalArgumentException(
          "unknown session URL scheme '" + url.scheme() + "' in " + url + "; known schemes: "
              + providers.keySet() + " (add hoard-redis or hoard-jdbc to the classpath for redis://"
              + " and jdbc: URLs)");
    }
    return provider;
  }
}
