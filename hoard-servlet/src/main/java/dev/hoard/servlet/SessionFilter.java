package dev.hoard.servlet;

import dev.hoard.cache.spi.Glob;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.SessionStoreUnavailableException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts Hoard sessions behind {@code request.getSession()}, so existing servlet code gets Redis,
 * SQL or cookie sessions without changes. The Hoard {@link Session} itself is the request
 * attribute {@link #SESSION_ATTRIBUTE} (or {@link #session(HttpServletRequest)}).
 *
 * <p>The client presents its token in the cookie ({@code HOARD_SESSION} unless renamed), in
 * {@code Authorization: Session <token>} or in {@code X-Session-ID}. New and changed tokens go back
 * in the cookie ({@code HttpOnly}, {@code SameSite=Lax}, {@code Path=/} unless configured), and to
 * clients that did not send the cookie also in an {@code X-Session-ID} response header. The cookie
 * is {@code Secure} on requests that came over HTTPS, directly or through a {@linkplain
 * Builder#trustedProxies trusted} TLS-terminating proxy ({@code X-Forwarded-Proto}), and then
 * named {@code __Host-HOARD_SESSION} ({@code __Secure-…} with a Domain or another Path), so a
 * cookie planted over plain HTTP or by a sibling domain is never taken for it; such requests read
 * only the prefixed cookie. The session is saved, and its cookie set, just before the response
 * commits (an early flush, a redirect, an error, a full buffer) and again after the chain for
 * later changes (and when an asynchronous request completes). A request whose chain throws saves nothing: the
 * session stays as it was before the request.
 *
 * <p>Unsafe methods (anything but GET, HEAD, OPTIONS, TRACE unless configured) on a session
 * presented by cookie must carry its CSRF token ({@link Session#csrfToken()}) in {@code
 * X-CSRF-Token} (renamable) or the form field {@code _csrf}, or get {@code 403}; sessions presented
 * in a header need none, since a browser never adds those by itself. Exclusions and CSRF
 * exemptions match the path as the application resolves it ({@link PathMatcher}).
 *
 * <p>On Jetty, turn its header cache case-sensitive ({@code
 * HttpConfiguration.setHeaderCacheCaseSensitive(true)}): otherwise, on a kept-alive connection,
 * Jetty may hand the filter an earlier header value that differs from the one sent only in letter
 * case, and a token that differs from a valid one only in case is accepted.
 *
 * <p>What does not map from {@code HttpSession}: {@code setMaxInactiveInterval} lasts for the
 * request only (timeouts belong to the {@link SessionManager}); attribute values come back in later
 * requests as the manager's codec reads them (JSON: maps, lists, strings, numbers); binding and
 * attribute listeners are not called; ids are never put in URLs.
 *
 * <p>When the session store is unavailable ({@link SessionStoreUnavailableException}: down,
 * frozen, not connected yet, or its circuit breaker open), a request that needs its session gets
 * {@code 503} with {@code Retry-After} and a small JSON body, never a fresh empty session that
 * would look like a logout; requests that never touch the session are served as usual. {@link
 * Builder#onStoreUnavailable} changes the answer.
 */
public final class SessionFilter implements Filter {

  /** The request attribute holding the Hoard {@link Session}. */
  public static final String SESSION_ATTRIBUTE = Session.class.getName();

  /** The cookie name unless renamed. */
  public static final String DEFAULT_COOKIE_NAME = "HOARD_SESSION";

  /** The header that carries the CSRF token unless renamed. */
  public static final String DEFAULT_CSRF_HEADER = "X-CSRF-Token";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  private static final String AUTHORIZATION_SCHEME = "session ";

  /** The {@code SameSite} attribute of the session cookie. */
  public enum SameSite {
    /** Sent only on requests from the site itself, not even on links followed from elsewhere. */
    STRICT("Strict"),
    /** Also sent on top-level navigations from other sites (links), not on their forms. */
    LAX("Lax"),
    /** Sent on every cross-site request; browsers require the cookie to be Secure, so it is. */
    NONE("None");

    private final String attribute;

    SameSite(String attribute) {
      this.attribute = attribute;
    }
  }

  private final SessionManager manager;
  private final SessionCookie cookie;
  private final TrustedProxies proxies;
  private final boolean csrf;
  private final String csrfHeader;
  private final Set<String> csrfExemptMethods;
  private final PathMatcher paths;
  private final List<Glob> csrfExempt;
  private final List<Glob> excluded;
  private final StoreUnavailableHandler storeUnavailable;

  private SessionFilter(Builder builder) {
    this.manager = builder.manager;
    this.cookie = new SessionCookie(builder.cookieName, builder.cookiePath, builder.cookieDomain,
        builder.cookieMaxAgeSeconds, builder.sameSite.attribute, builder.alwaysSecure,
        builder.cookiePrefix);
    this.proxies = builder.proxies;
    this.csrf = builder.csrf;
    this.csrfHeader = builder.csrfHeader;
    this.csrfExemptMethods = Set.copyOf(builder.csrfExemptMethods);
    this.paths = builder.paths;
    this.csrfExempt = builder.csrfExempt.stream().map(paths::compile).toList();
    this.excluded = builder.excluded.stream().map(paths::compile).toList();
    this.storeUnavailable = builder.storeUnavailable;
  }

  /** Starts configuring a filter over {@code manager}. */
  public static Builder builder(SessionManager manager) {
    return new Builder(manager);
  }

  /**
   * The Hoard session of a request that passed through this filter, created on first use.
   *
   * @throws IllegalStateException if the request did not pass through a SessionFilter
   */
  public static Session session(HttpServletRequest request) {
    if (request.getAttribute(SESSION_ATTRIBUTE) instanceof Session session) {
      return session;
    }
    throw new IllegalStateException(
        "this request did not pass through a SessionFilter; map the filter in front of "
            + request.getRequestURI());
  }

  /**
   * The Hoard session of a request that passed through this filter, if the client presented a live
   * one or the request already created one; never creates a session.
   */
  public static Optional<Session> existingSession(HttpServletRequest request) {
    return request.getSession(false) instanceof HoardHttpSession session
        ? Optional.of(session.session()) : Optional.empty();
  }

  @Override
  public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse,
      FilterChain chain) throws IOException, ServletException {
    try {
      filter(servletRequest, servletResponse, chain);
    } catch (RuntimeException | IOException | ServletException e) {
      SessionStoreUnavailableException outage = outageIn(e);
      if (outage == null || servletResponse.isCommitted()
          || !(servletRequest instanceof HttpServletRequest request)
          || !(servletResponse instanceof HttpServletResponse response)) {
        throw e;
      }
      response.reset();
      storeUnavailable.handle(request, response, outage);
    }
  }

  /** The store's outage behind {@code failure}, however the application wrapped it, or null. */
  private static SessionStoreUnavailableException outageIn(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SessionStoreUnavailableException outage) {
        return outage;
      }
    }
    return null;
  }

  private void filter(ServletRequest servletRequest, ServletResponse servletResponse,
      FilterChain chain) throws IOException, ServletException {
    if (!(servletRequest instanceof HttpServletRequest request)
        || !(servletResponse instanceof HttpServletResponse response)
        || servletRequest instanceof SessionRequest
        || matchesAny(excluded, paths.pathOf(request))) {
      chain.doFilter(servletRequest, servletResponse);
      return;
    }
    ClientInfo client = new ClientInfo(proxies.clientAddress(request), request.getHeader("User-Agent"));
    RequestSession state = presented(request, client);
    SavingResponse saving = new SavingResponse(response, state::save);
    state.respondTo(saving);
    if (csrfRefused(request, state)) {
      byte[] body = "CSRF token missing or wrong\n".getBytes(StandardCharsets.UTF_8);
      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
      response.setContentType("text/plain;charset=UTF-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      return;
    }
    SessionRequest wrapped = new SessionRequest(request, state, SESSION_ATTRIBUTE);
    chain.doFilter(wrapped, saving);
    saving.saveAtEnd();
    if (wrapped.isAsyncStarted()) {
      AsyncCompletion.onComplete(wrapped.getAsyncContext(), saving::saveAtEnd);
    }
  }

  private RequestSession presented(HttpServletRequest request, ClientInfo client) {
    boolean secure = proxies.isSecure(request);
    String token = null;
    RequestSession.Source source = RequestSession.Source.NONE;
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.length() > AUTHORIZATION_SCHEME.length()
        && authorization.regionMatches(true, 0, AUTHORIZATION_SCHEME, 0,
            AUTHORIZATION_SCHEME.length())) {
      token = authorization.substring(AUTHORIZATION_SCHEME.length()).trim();
      source = RequestSession.Source.HEADER;
    } else if (request.getHeader("X-Session-ID") != null
        && !request.getHeader("X-Session-ID").isBlank()) {
      token = request.getHeader("X-Session-ID").trim();
      source = RequestSession.Source.HEADER;
    } else {
      Cookie[] cookies = request.getCookies();
      String name = cookie.nameFor(secure);
      if (cookies != null) {
        for (Cookie candidate : cookies) {
          if (candidate.getName().equals(name) && !candidate.getValue().isEmpty()) {
            token = candidate.getValue();
            source = RequestSession.Source.COOKIE;
            break;
          }
        }
      }
    }
    return new RequestSession(manager, client, token, source, cookie,
        request.getServletContext(), secure);
  }

  private boolean csrfRefused(HttpServletRequest request, RequestSession state) {
    if (!csrf || state.source() != RequestSession.Source.COOKIE
        || csrfExemptMethods.contains(request.getMethod().toUpperCase(Locale.ROOT))
        || matchesAny(csrfExempt, paths.pathOf(request))) {
      return false;
    }
    Session session = state.existing();
    if (session == null) {
      // Nothing to forge a request against: the request gets a fresh session.
      return false;
    }
    String candidate = request.getHeader(csrfHeader);
    if (candidate == null) {
      candidate = request.getParameter("_csrf");
    }
    return candidate == null || !session.verifyCsrfToken(candidate);
  }

  private static boolean matchesAny(List<Glob> globs, String path) {
    for (Glob glob : globs) {
      if (glob.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** Answers a request whose session could not be read or written because the store is down. */
  @FunctionalInterface
  public interface StoreUnavailableHandler {

    /**
     * Writes the response to {@code request}; the response has been reset (nothing of what the
     * application wrote is left) and is not committed.
     */
    void handle(HttpServletRequest request, HttpServletResponse response,
        SessionStoreUnavailableException outage) throws IOException;

    /**
     * The default: {@code 503 Service Unavailable} with {@code Retry-After} (whole seconds, the
     * breaker's cool-down), {@code Cache-Control: no-store} and a JSON body {@code {"error":
     * "session_store_unavailable", "message": ..., "retry_after": seconds}}. The client keeps its
     * cookie, so its session is there again once the store is.
     */
    static StoreUnavailableHandler serviceUnavailable() {
      return (request, response, outage) -> {
        long seconds = Math.max(1, (outage.retryAfter().toMillis() + 999) / 1000);
        byte[] body = ("{\"error\":\"session_store_unavailable\",\"message\":\"sessions are"
            + " unavailable for a moment; try again in " + seconds + " s\",\"retry_after\":"
            + seconds + "}\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", Long.toString(seconds));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
      };
    }

    /**
     * Lets the exception through to the container or the application's error handling, for
     * applications that render their own error pages.
     */
    static StoreUnavailableHandler propagate() {
      return (request, response, outage) -> {
        throw outage;
      };
    }
  }

  /** Configures a {@link SessionFilter}. */
  public static final class Builder {
    private final SessionManager manager;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private String cookiePath = "/";
    private String cookieDomain;
    private int cookieMaxAgeSeconds = -1;
    private SameSite sameSite = SameSite.LAX;
    private boolean alwaysSecure;
    private boolean cookiePrefix = true;
    private TrustedProxies proxies = TrustedProxies.none();
    private boolean csrf = true;
    private String csrfHeader = DEFAULT_CSRF_HEADER;
    private Set<String> csrfExemptMethods = SAFE_METHODS;
    private PathMatcher paths = PathMatcher.standard();
    private final List<String> csrfExempt = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private StoreUnavailableHandler storeUnavailable = StoreUnavailableHandler.serviceUnavailable();

    private Builder(SessionManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
    }

    /**
     * The cookie's name; {@code HOARD_SESSION} unless set. A Secure cookie gets the {@code
     * __Host-} or {@code __Secure-} prefix in front of it (see {@link #withoutCookiePrefix()}).
     *
     * @throws IllegalArgumentException if it is not a cookie name, or already has such a prefix
     */
    public Builder cookieName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127
          && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException(
            "'" + name + "' is not a valid cookie name (letters, digits and -_.!#$%&'*+^`|~)");
      }
      if (name.regionMatches(true, 0, "__Host-", 0, 7)
          || name.regionMatches(true, 0, "__Secure-", 0, 9)) {
        throw new IllegalArgumentException("cookie name '" + name + "': leave out the prefix; the"
            + " filter adds __Host- or __Secure- itself whenever the cookie is Secure");
      }
      this.cookieName = name;
      return this;
    }

    /**
     * The cookie's path; {@code /} unless set. Another path makes a Secure cookie's prefix
     * {@code __Secure-}, since {@code __Host-} requires {@code Path=/}.
     */
    public Builder cookiePath(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.chars().anyMatch(c -> c < 33 || c == ';' || c > 126)) {
        throw new IllegalArgumentException(
            "cookie path '" + path + "' must start with / and hold no spaces, controls or ';'");
      }
      this.cookiePath = path;
      return this;
    }

    /**
     * The cookie's {@code Domain}, making it sent to subdomains too; unless set the cookie is
     * host-only (the safer choice: a sibling subdomain cannot overwrite it). A Secure cookie with
     * a domain is prefixed {@code __Secure-}, since {@code __Host-} forbids a Domain.
     */
    public Builder cookieDomain(String domain) {
      Objects.requireNonNull(domain, "domain");
      if (domain.isBlank() || domain.chars().anyMatch(c -> c < 33 || c == ';' || c > 126)) {
        throw new IllegalArgumentException("'" + domain + "' is not a cookie domain");
      }
      this.cookieDomain = domain;
      return this;
    }

    /**
     * The cookie's {@code SameSite}; {@link SameSite#LAX} unless set. {@link SameSite#NONE}
     * makes the cookie Secure on every request, as browsers require.
     */
    public Builder sameSite(SameSite sameSite) {
      this.sameSite = Objects.requireNonNull(sameSite, "sameSite");
      return this;
    }

    /**
     * Makes the cookie Secure (and prefixed) on every request, also those that seem to come over
     * plain HTTP: for deployments behind a TLS-terminating proxy that sends no {@code
     * X-Forwarded-Proto}. Browsers then send it over HTTPS only.
     */
    public Builder secureCookie() {
      this.alwaysSecure = true;
      return this;
    }

    /**
     * Keeps the cookie's name as given even when it is Secure, for clients that look for a fixed
     * name; gives up ASVS 3.4.4's defence against cookies planted over HTTP or by subdomains.
     */
    public Builder withoutCookiePrefix() {
      this.cookiePrefix = false;
      return this;
    }

    /**
     * Makes the cookie persistent for {@code maxAge}; unless set it is a browser-session cookie
     * and the manager's timeouts alone end the session.
     */
    public Builder cookieMaxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("cookieMaxAge must be positive, was " + maxAge);
      }
      this.cookieMaxAgeSeconds = (int) Math.min(Integer.MAX_VALUE, maxAge.toSeconds());
      return this;
    }

    /**
     * The proxies whose forwarding headers name the client (for the session's client binding) and
     * tell whether it came over HTTPS (for the cookie's {@code Secure}); {@link
     * TrustedProxies#none()} unless set.
     */
    public Builder trustedProxies(TrustedProxies proxies) {
      this.proxies = Objects.requireNonNull(proxies, "proxies");
      return this;
    }

    /** Skips the CSRF check on paths matching {@code pattern} (webhooks signed another way). */
    public Builder csrfExempt(String pattern) {
      PathMatcher.standard().compile(pattern);
      csrfExempt.add(pattern);
      return this;
    }

    /** The request header that carries the CSRF token; {@code X-CSRF-Token} unless set. */
    public Builder csrfHeader(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127
          && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
        throw new IllegalArgumentException("'" + name + "' is not a header name");
      }
      this.csrfHeader = name;
      return this;
    }

    /**
     * The methods that need no CSRF token, replacing the default GET, HEAD, OPTIONS and TRACE.
     * Only list methods your application never changes anything on.
     */
    public Builder csrfExemptMethods(String... methods) {
      this.csrfExemptMethods = Arrays.stream(methods)
          .map(method -> Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());
      return this;
    }

    /**
     * How exclusions and CSRF exemptions are matched to requests; {@link PathMatcher#standard()}
     * unless set ({@link PathMatcher#ignoringCase()} where paths resolve regardless of case).
     */
    public Builder pathMatcher(PathMatcher matcher) {
      this.paths = Objects.requireNonNull(matcher, "matcher");
      return this;
    }

    /** Turns the CSRF check off everywhere, for APIs that check it themselves. */
    public Builder withoutCsrfCheck() {
      this.csrf = false;
      return this;
    }

    /** Leaves paths matching {@code pattern} alone: no session, no cookie (static files). */
    public Builder exclude(String pattern) {
      PathMatcher.standard().compile(pattern);
      excluded.add(pattern);
      return this;
    }

    /**
     * What a request gets when the session store is unavailable and the response has not been
     * committed yet; {@link StoreUnavailableHandler#serviceUnavailable()} unless set.
     */
    public Builder onStoreUnavailable(StoreUnavailableHandler handler) {
      this.storeUnavailable = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Builds the filter. */
    public SessionFilter build() {
      return new SessionFilter(this);
    }
  }
}
