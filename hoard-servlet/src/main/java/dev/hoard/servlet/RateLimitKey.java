package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.function.Function;

/** What a request is counted against in {@link RateLimitFilter}: a client, a user, a route. */
@FunctionalInterface
public interface RateLimitKey {

  /**
   * The key of {@code request}, or {@code null} to let it through uncounted.
   *
   * @param clientAddress the client's address, resolved through the filter's trusted proxies
   * @param route the route pattern that chose the limiter, or {@code "*"} for the default limiter
   */
  String keyOf(HttpServletRequest request, String clientAddress, String route);

  /** One count per client address (the default). */
  static RateLimitKey clientAddress() {
    return (request, clientAddress, route) -> "ip:" + clientAddress;
  }

  /**
   * One count per user, as {@code user} names them (a session's user id, the principal…);
   * requests without a user are counted per client address.
   */
  static RateLimitKey user(Function<HttpServletRequest, String> user) {
    Objects.requireNonNull(user, "user");
    return (request, clientAddress, route) -> {
      String id = user.apply(request);
      return id == null ? "ip:" + clientAddress : "user:" + id;
    };
  }

  /**
   * One count per user bound to the Hoard session ({@link dev.hoard.session.Session#bindUser});
   * anonymous requests are counted per client address. Map the {@link SessionFilter} in front of
   * the {@link RateLimitFilter}; no session is created for the check.
   */
  static RateLimitKey sessionUser() {
    return user(request -> SessionFilter.existingSession(request)
        .flatMap(dev.hoard.session.Session::userId).orElse(null));
  }

  /** One count per route shared by every client: a global limit on what the route can take. */
  static RateLimitKey route() {
    return (request, clientAddress, route) -> "route:" + route;
  }
}
