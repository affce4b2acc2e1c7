package dev.hoard.servlet;

import dev.hoard.cache.Cache;
import dev.hoard.cache.spi.Glob;
import dev.hoard.servlet.OriginFetch.Settled;
import dev.hoard.servlet.ResponseCapture.Mode;
import dev.hoard.servlet.ResponseStore.Lookup;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP cache in front of any servlet — a proxy servlet included — that behaves as a shared
 * cache by RFC 9111, keeping responses in any Hoard {@link Cache} (memory, Redis, ...).
 *
 * <p>It stores responses to {@code GET} (and answers {@code HEAD} and single byte {@code Range}s
 * from them) under the method, the normalised URL (tracking parameters such as {@code utm_*} left
 * out) and the request headers the response {@code Vary}s on. It honours {@code Cache-Control}
 * from the origin ({@code no-store}, {@code private}, {@code no-cache}, {@code max-age}, {@code
 * s-maxage}, {@code must-revalidate}, {@code proxy-revalidate}, {@code must-understand}, {@code
 * stale-while-revalidate}, {@code stale-if-error}) and {@code Expires} (an invalid or repeated one
 * means stale), or instead the first targeted field present ({@code Hoard-Cache-Control}, {@code
 * CDN-Cache-Control}: RFC 9213), which clients never see; and from the client ({@code no-cache},
 * {@code no-store}, {@code max-age}, {@code max-stale}, {@code min-fresh}, {@code
 * only-if-cached}). Any final status but 206 and 304 is stored when it has explicit freshness;
 * without it, only the configured heuristically cacheable ones. Stale responses are revalidated
 * with conditional requests and refreshed from a {@code 304}, and answer when the origin cannot
 * be reached unless they forbid it. Any method not known to be safe ({@code POST}, {@code PUT},
 * {@code DELETE}, {@code PATCH}, but also {@code M-SEARCH} or any unknown one) that succeeds
 * invalidates its URL and same-origin {@code Location} / {@code Content-Location}. Responses
 * without an {@code ETag} get a strong one (SHA-256 of the body), so clients can revalidate with
 * {@code If-None-Match} and get a {@code 304}. Requests carrying credentials and responses that
 * set cookies are never stored unless configured. A response that will not be stored streams
 * straight through (flushes included) as soon as its headers are known.
 *
 * <p>Every response it looked up carries {@value #CACHE_STATUS_HEADER}: {@code HIT} (a fresh
 * stored response), {@code STALE} (a stale one, allowed by {@code stale-while-revalidate}, {@code
 * stale-if-error} or the client's {@code max-stale}), {@code REVALIDATED} (a stored response the
 * origin confirmed with a 304) or {@code MISS} (the origin's response, stored or not).
 *
 * <p>Use it without web.xml: {@code context.addFilter(new FilterHolder(
 * ResponseCacheFilter.builder(cache).build()), "/*", EnumSet.of(DispatcherType.REQUEST))}.
 * Give it a cache of its own, e.g. {@code cache.scoped("http", "responses")}. Instances are
 * thread-safe.
 */
public final class ResponseCacheFilter implements Filter {

  /** The response header that says how the cache answered. */
  public static final String CACHE_STATUS_HEADER = ResponseReplay.CACHE_STATUS_HEADER;

  private static final Logger log = LoggerFactory.getLogger(ResponseCacheFilter.class);
  /**
   * Methods known to be safe (RFC 9110 §9.2.1, and WebDAV's PROPFIND, REPORT and SEARCH): every
   * other method, unknown ones such as {@code M-SEARCH} included, invalidates (RFC 9111 §4.4).
   */
  private static final Set<String> SAFE_METHODS =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "REPORT", "SEARCH");

  private final Clock clock;
  private final CachePolicy policy;
  private final ResponseStore store;
  private final RequestKeys keys;
  private final List<Glob> excludedPaths;
  private final int maximumBodySize;
  private final List<String> credentialHeaders;
  private final RequestCoalescer coalescer;
  private final ResponseReplay replay;
  private final List<String> withheld;
  private final Executor revalidations;
  private final OriginFetch.Settings fetching;
  private final List<PageRule> rules;
  private final Duration defaultTtl;
  private final List<String> vary;
  private final ExecutorService ownRevalidations;

  private ResponseCacheFilter(Builder builder) {
    this.clock = builder.clock;
    this.policy = new CachePolicy(builder.statuses, builder.heuristicLimit.toMillis(),
        builder.staleRetention.toMillis(), builder.storeWithCredentials, builder.targetedFields,
        builder.staleWhenOriginFails);
    this.store = new ResponseStore(builder.cache, policy, builder.tagFields);
    this.keys = new RequestKeys(builder.ignoredParameters, builder.keyOrigin);
    this.excludedPaths =
        builder.excludedPaths.stream().map(PathMatcher.standard()::compile).toList();
    this.maximumBodySize = builder.maximumBodySize;
    this.credentialHeaders = List.copyOf(builder.credentialHeaders);
    this.coalescer = new RequestCoalescer(builder.coalescingTimeout);
    List<String> withheld = new ArrayList<>(policy.targetedFields());
    withheld.addAll(builder.tagFields);
    this.withheld = List.copyOf(withheld);
    this.replay = new ResponseReplay(withheld);
    this.fetching = new OriginFetch.Settings(store, policy, clock, maximumBodySize,
        builder.condition);
    this.rules = List.copyOf(builder.rules);
    this.defaultTtl = builder.defaultTtl;
    this.vary = List.copyOf(builder.vary);
    this.ownRevalidations = builder.revalidations == null ? revalidationPool() : null;
    this.revalidations = builder.revalidations != null ? builder.revalidations : ownRevalidations;
  }

  /** Two daemon threads and a queue of 256: revalidation is a refresh, never worth a backlog. */
  private static ExecutorService revalidationPool() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256), task -> {
          Thread thread = new Thread(task, "hoard-revalidate-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Makes every response the origin tagged with any of {@code tags} ({@code Cache-Tag} or {@code
   * Surrogate-Key}) a miss — "every page showing product 42" in one call — on every node that
   * shares this filter's cache.
   */
  public void invalidateTags(String... tags) {
    store.invalidateTags(tags);
  }

  /**
   * Drops the stored response (every variant) for an absolute URL such as {@code
   * https://shop.example/products/42?lang=en}, as a successful {@code POST} to it would.
   *
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL
   */
  public void invalidate(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalidate: not a URL: " + url, e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "invalidate: give an absolute URL such as http://host/path, was " + url);
    }
    store.delete(keys.primary(uri));
  }

  /** Stops the revalidation threads the filter started itself (not an executor it was given). */
  @Override
  public void destroy() {
    if (ownRevalidations != null) {
      ownRevalidations.shutdown();
    }
  }

  /**
   * Starts configuring a filter that keeps responses in {@code cache}. Entries are {@code byte[]},
   * so the cache's codec must store those: {@code json} (the default; base64 inside) and {@code
   * bytes} (raw, the most compact: {@code ?codec=bytes}) do, {@code utf8} does not.
   */
  public static Builder builder(Cache cache) {
    return new Builder(cache);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse out)
        || http.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    String method = http.getMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      read(http, out, chain);
    } else if (SAFE_METHODS.contains(method)) {
      chain.doFilter(request, response);
    } else {
      write(http, out, chain);
    }
  }

  // ---- unsafe methods: invalidation (RFC 9111 §4.4) ----

  private void write(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // Evict on arrival too, so no client can be served the old response after it has seen the
    // answer to its change: the invalidation after the response may come a moment later.
    store.delete(keys.primary(request));
    chain.doFilter(request, response);
    if (!request.isAsyncStarted()) {
      invalidateAfter(request, response);
      return;
    }
    AsyncCompletion.onComplete(
        request.getAsyncContext(), () -> invalidateAfter(request, response));
  }

  private void invalidateAfter(HttpServletRequest request, HttpServletResponse response) {
    int status = response.getStatus();
    if (status < 200 || status >= 400) {
      return;
    }
    store.delete(keys.primary(request));
    URI base = RequestKeys.requestUri(request);
    for (String field : List.of("Location", "Content-Location")) {
      String target = response.getHeader(field);
      if (target == null) {
        continue;
      }
      try {
        URI resolved = base.resolve(target.trim());
        if (RequestKeys.sameOrigin(base, resolved)) {
          store.delete(keys.primary(resolved));
        }
      } catch (IllegalArgumentException e) {
        log.debug("not invalidating {} {}: not a URI", field, target);
      }
    }
  }

  // ---- GET and HEAD ----

  private void read(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    boolean credentials = hasCredentials(request);
    if (excluded(request) || credentials && !policy.storesWithCredentials()) {
      chain.doFilter(request, response);
      return;
    }
    CacheControl asked = requestDirectives(request);
    if (asked.has("no-store")) {
      chain.doFilter(request, response);
      return;
    }
    boolean head = request.getMethod().equals("HEAD");
    String key = keys.primary(request);
    Lookup found = store.lookup(key, request);
    long now = clock.millis();
    CacheStrategy strategy = CacheStrategy.decide(head, asked, found.response(), now);
    if (request.getHeader("Range") != null
        && strategy.action() != CacheStrategy.Action.GATEWAY_TIMEOUT) {
      // A part is answered from a stored complete response; the origin answers the rest.
      if (strategy.servesStored()) {
        replay.write(request, response, found.response(),
            strategy.action() == CacheStrategy.Action.SERVE ? "HIT" : "STALE", now);
      } else {
        chain.doFilter(request, response);
      }
      return;
    }
    switch (strategy.action()) {
      case GATEWAY_TIMEOUT -> {
        response.setStatus(HttpServletResponse.SC_GATEWAY_TIMEOUT);
        response.setHeader(CACHE_STATUS_HEADER, "MISS");
        response.setContentLength(0);
      }
      case SERVE -> replay.write(request, response, found.response(), "HIT", now);
      case SERVE_STALE -> replay.write(request, response, found.response(), "STALE", now);
      case SERVE_STALE_AND_REVALIDATE -> {
        replay.write(request, response, found.response(), "STALE", now);
        if (request.isAsyncSupported() && coalescer.startRevalidating(found.key())) {
          // Complete the client's response first: it must not wait for the origin.
          response.getOutputStream().close();
          revalidateInBackground(request, response, chain, key, found, credentials);
        }
      }
      case REVALIDATE, FORWARD -> {
        if (head) {
          response.setHeader(CACHE_STATUS_HEADER, "MISS");
          chain.doFilter(request, response);
        } else if (asked.isEmpty()) {
          fetchOnce(request, response, chain, key, found, credentials);
        } else {
          fetch(request, response, chain, key, found, credentials, () -> { });
        }
      }
    }
  }

  /**
   * Goes to the origin unless another request is already fetching the same variant; then waits
   * for it (up to the coalescing timeout) and answers from what it stored, so a burst of misses
   * on one URL costs the origin one request.
   */
  private void fetchOnce(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, String key, Lookup found, boolean credentials)
      throws IOException, ServletException {
    Runnable lead = coalescer.leadOrAwait(found.key());
    if (lead != null) {
      fetch(request, response, chain, key, found, credentials, lead);
      return;
    }
    Lookup again = store.lookup(key, request);
    long now = clock.millis();
    if (again.response() != null && again.response().isFresh(now)
        && !again.response().requiresValidation()) {
      replay.write(request, response, again.response(), "HIT", now);
    } else {
      fetch(request, response, chain, key, again, credentials, () -> { });
    }
  }

  /**
   * Goes to the origin, conditionally when there is a stored response to revalidate, and runs
   * {@code done} once the response is answered (or failed).
   */
  private void fetch(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      String key, Lookup found, boolean credentials, Runnable done)
      throws IOException, ServletException {
    OriginFetch origin =
        new OriginFetch(fetching, key, found, request, credentials, pageDefaults(request));
    CachedResponse stale = origin.stale();
    ResponseCapture capture = origin.capture(response);
    capture.passLabel("MISS");
    capture.withhold(withheld);
    // Nothing will be stored: requests waiting for this one need not wait for its end.
    capture.whenPassing(done);
    UpstreamRequest upstream = stale == null
        ? UpstreamRequest.unconditional(request, capture)
        : UpstreamRequest.revalidating(request, capture, stale);
    try {
      chain.doFilter(upstream, capture);
    } catch (IOException | ServletException | RuntimeException e) {
      done.run();
      if (capture.mode() != Mode.PASS
          && CacheStrategy.servesStaleOnFailure(stale, -1, clock.millis(), policy)) {
        log.warn("serving a stale response for {}: the origin failed", key, e);
        response.reset();
        replay.write(request, response, stale, "STALE", clock.millis());
        return;
      }
      throw e;
    }
    upstream.whenDone(() -> {
      try {
        answer(request, response, capture, key, origin.settle());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        done.run();
      }
    }, () -> {
      done.run();
      try {
        capture.passThrough();
      } catch (RuntimeException e) {
        log.debug("the asynchronous response for {} ended before it could be passed on", key, e);
      }
    });
  }

  /** Answers the client once the origin's answer is settled. */
  private void answer(HttpServletRequest request, HttpServletResponse response,
      ResponseCapture capture, String key, Settled settled) throws IOException {
    long now = clock.millis();
    switch (settled.outcome()) {
      case REFRESHED -> {
        response.reset();
        replay.write(request, response, settled.response(), "REVALIDATED", now);
      }
      case ORIGIN_FAILED -> {
        log.warn("serving a stale response for {}: the origin answered {}", key,
            capture.getStatus());
        response.reset();
        replay.write(request, response, settled.response(), "STALE", now);
      }
      case STORED -> replay.write(request, response, settled.response(), "MISS", now);
      case NOT_KEPT -> capture.passThrough();
      case PASSED -> { }
    }
  }

  /**
   * Stale-while-revalidate, once the client has its stale response: keeps the request open in an
   * asynchronous cycle and asks the origin again on the revalidation executor, into a response
   * that goes nowhere, keeping what comes back. The request thread returns at once; when the
   * executor is saturated the revalidation is skipped (a later request will try again).
   */
  private void revalidateInBackground(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain, String key, Lookup found, boolean credentials) {
    AsyncContext cycle = request.startAsync();
    Runnable revalidation = () -> {
      OriginFetch origin =
          new OriginFetch(fetching, key, found, request, credentials, pageDefaults(request));
      ResponseCapture capture = origin.detachedCapture(response);
      UpstreamRequest upstream =
          UpstreamRequest.revalidatingLater(request, capture, origin.stale(), cycle);
      Runnable release = () -> coalescer.doneRevalidating(found.key());
      try {
        chain.doFilter(upstream, capture);
        upstream.whenDone(() -> {
          try {
            origin.settle();
          } finally {
            release.run();
          }
        }, release);
      } catch (IOException | ServletException | RuntimeException e) {
        release.run();
        log.warn("background revalidation of {} failed; keeping the stale response", key, e);
      } finally {
        if (!upstream.wentAsynchronous()) {
          cycle.complete();
        }
      }
    };
    try {
      revalidations.execute(revalidation);
    } catch (RejectedExecutionException e) {
      log.debug("not revalidating {} now: the revalidation executor is busy", key);
      coalescer.doneRevalidating(found.key());
      cycle.complete();
    }
  }

  // ---- requests ----

  private boolean excluded(HttpServletRequest request) {
    if (excludedPaths.isEmpty()) {
      return false;
    }
    String path = PathMatcher.standard().pathOf(request);
    for (Glob glob : excludedPaths) {
      if (glob.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** The first page rule for the request's path, else the default TTL; with the vary headers. */
  private PageDefaults pageDefaults(HttpServletRequest request) {
    if (rules.isEmpty() && defaultTtl == null && vary.isEmpty()) {
      return PageDefaults.NONE;
    }
    String path = PathMatcher.standard().pathOf(request);
    for (PageRule rule : rules) {
      if (rule.matches(path)) {
        List<String> names = new ArrayList<>(vary);
        names.addAll(rule.vary());
        return rule.ttl() != null ? new PageDefaults(rule.ttl(), true, names)
            : new PageDefaults(defaultTtl, false, names);
      }
    }
    return new PageDefaults(defaultTtl, false, vary);
  }

  private boolean hasCredentials(HttpServletRequest request) {
    for (String name : credentialHeaders) {
      if (request.getHeader(name) != null) {
        return true;
      }
    }
    return false;
  }

  /** The request's Cache-Control, or {@code no-cache} for a bare {@code Pragma: no-cache} (RFC 9111 §5.4). */
  private static CacheControl requestDirectives(HttpServletRequest request) {
    CacheControl directives = CacheControl.parse(request.getHeaders("Cache-Control"));
    if (request.getHeader("Cache-Control") == null) {
      String pragma = request.getHeader("Pragma");
      if (pragma != null && pragma.toLowerCase(Locale.ROOT).contains("no-cache")) {
        return CacheControl.parse(List.of("no-cache"));
      }
    }
    return directives;
  }

  /** Configures a {@link ResponseCacheFilter}; obtain one from {@link ResponseCacheFilter#builder(Cache)}. */
  public static final class Builder {

    private final Cache cache;
    private Clock clock = Clock.systemUTC();
    private int maximumBodySize = 1 << 20;
    private List<String> ignoredParameters = List.of("utm_*", "fbclid", "gclid");
    private List<String> excludedPaths = List.of();
    private Set<Integer> statuses = defaultStatuses();
    private Duration heuristicLimit = Duration.ofDays(1);
    private Duration staleRetention = Duration.ofHours(1);
    private List<String> credentialHeaders =
        List.of("Authorization", "Proxy-Authorization", "Cookie", "X-Session-ID");
    private boolean storeWithCredentials;
    private Duration coalescingTimeout = Duration.ofSeconds(10);
    private List<String> targetedFields =
        List.of(CachePolicy.OWN_TARGETED_FIELD, "CDN-Cache-Control");
    private boolean staleWhenOriginFails = true;
    private Executor revalidations;
    private URI keyOrigin;
    private List<String> tagFields = List.of("Cache-Tag", "Surrogate-Key");
    private final List<PageRule> rules = new ArrayList<>();
    private Duration defaultTtl;
    private List<String> vary = List.of();
    private BiPredicate<HttpServletRequest, HttpServletResponse> condition = (q, r) -> true;

    private Builder(Cache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
    }

    private static Set<Integer> defaultStatuses() {
      Set<Integer> statuses = new HashSet<>(CachePolicy.HEURISTICALLY_CACHEABLE);
      statuses.addAll(List.of(302, 307));
      return statuses;
    }

    /** The clock ages and freshness are measured with; the system clock unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The largest body kept in the cache, in bytes; larger responses stream through. 1 MiB unless set. */
    public Builder maximumBodySize(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maximumBodySize must not be negative, was " + bytes);
      }
      this.maximumBodySize = bytes;
      return this;
    }

    /**
     * Query parameters left out of cache keys, as case-insensitive globs; {@code utm_*}, {@code
     * fbclid} and {@code gclid} unless set. Set none to key on every parameter.
     */
    public Builder ignoreQueryParameters(String... globs) {
      this.ignoredParameters = globs(globs, "ignoreQueryParameters");
      return this;
    }

    /** Paths (below the context path, e.g. {@code /admin/*}) the filter never caches. */
    public Builder excludePaths(String... globs) {
      this.excludedPaths = globs(globs, "excludePaths");
      return this;
    }

    /**
     * The statuses that may be stored without explicit freshness: with heuristic freshness (for
     * those RFC 9110 calls heuristically cacheable) or when {@code public}. Unless set: 200, 203,
     * 204, 300, 301, 308, 404, 405, 410, 414, 501, plus 302 and 307. Any other final status is
     * stored only with explicit freshness ({@code max-age}, {@code s-maxage}, {@code Expires}), as
     * RFC 9111 §3 allows; 206 and 304 are never stored.
     */
    public Builder cacheableStatuses(int... codes) {
      Set<Integer> chosen = new HashSet<>();
      for (int code : codes) {
        if (code < 200 || code > 599 || code == 206 || code == 304) {
          throw new IllegalArgumentException("cacheableStatuses: " + code
              + " cannot be stored; use final statuses other than 206 and 304");
        }
        chosen.add(code);
      }
      this.statuses = chosen;
      return this;
    }

    /** The cap on heuristic freshness (10% of the time since Last-Modified); one day unless set. */
    public Builder heuristicFreshnessLimit(Duration limit) {
      this.heuristicLimit = positive(limit, "heuristicFreshnessLimit");
      return this;
    }

    /**
     * How long a stale response that has a validator stays in the cache so it can be revalidated
     * with a conditional request instead of fetched again; one hour unless set.
     */
    public Builder staleRetention(Duration retention) {
      this.staleRetention = positive(retention, "staleRetention");
      return this;
    }

    /**
     * Request headers that mark a request as carrying credentials; unless set {@code
     * Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code X-Session-ID}.
     * Such requests bypass the cache unless {@link #storeWithCredentials(boolean)} is set.
     */
    public Builder credentialHeaders(String... names) {
      List<String> chosen = new ArrayList<>();
      for (String name : names) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("credentialHeaders: a header name is blank");
        }
        chosen.add(name);
      }
      this.credentialHeaders = chosen;
      return this;
    }

    /**
     * Whether requests with credentials may use the cache: when set, they are answered from it,
     * and their responses are stored only when the response says so explicitly with {@code
     * public}, {@code s-maxage} or {@code must-revalidate} (RFC 9111 §3.5). Off unless set.
     */
    public Builder storeWithCredentials(boolean allowed) {
      this.storeWithCredentials = allowed;
      return this;
    }

    /**
     * How long a request that misses waits for another request already fetching the same URL
     * (and variant) before going to the origin itself; ten seconds unless set. Requests with
     * their own {@code Cache-Control} never wait.
     */
    public Builder coalescingTimeout(Duration timeout) {
      this.coalescingTimeout = positive(timeout, "coalescingTimeout");
      return this;
    }

    /**
     * The targeted cache-control fields (RFC 9213) this cache obeys, in order of precedence: the
     * first one present with valid directives replaces {@code Cache-Control} and {@code Expires}
     * for this cache, and none of them is sent to clients. Unless set {@value
     * CachePolicy#OWN_TARGETED_FIELD} then {@code CDN-Cache-Control}; set none to obey {@code
     * Cache-Control} only.
     */
    public Builder targetedCacheControl(String... fieldNames) {
      List<String> chosen = new ArrayList<>();
      for (String name : fieldNames) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("targetedCacheControl: a field name is blank");
        }
        chosen.add(name.trim());
      }
      this.targetedFields = List.copyOf(chosen);
      return this;
    }

    /**
     * Whether a stale stored response answers when the origin cannot be reached (it throws, or a
     * proxy in front of it answers 502 or 504), as RFC 9111 §4.2.4 allows and nginx's {@code
     * proxy_cache_use_stale error} does; never when the response says {@code must-revalidate},
     * {@code proxy-revalidate}, {@code s-maxage} or {@code no-cache}. Stale responses are kept
     * for {@link #staleRetention(Duration)}. On unless set.
     */
    public Builder serveStaleWhenOriginFails(boolean allowed) {
      this.staleWhenOriginFails = allowed;
      return this;
    }

    /**
     * Where {@code stale-while-revalidate} refreshes run, after the client has its stale answer;
     * it should be bounded and reject work when full (the refresh is then skipped). Unless set,
     * two daemon threads of the filter's own with a queue of 256. Needs the filter and servlet to
     * support asynchronous requests ({@code asyncSupported}); without that, stale responses are
     * served within the window and revalidated after it.
     */
    public Builder revalidationExecutor(Executor executor) {
      this.revalidations = Objects.requireNonNull(executor, "revalidationExecutor");
      return this;
    }

    /**
     * The freshness this cache gives responses that have none of their own ({@code max-age},
     * {@code s-maxage}, {@code Expires}) and a status of {@link #cacheableStatuses}, unless they
     * say {@code no-store} or {@code private} or set a cookie; browsers still see the origin's
     * headers. None unless set (RFC 9111 heuristics apply).
     */
    public Builder defaultTtl(Duration ttl) {
      this.defaultTtl = positive(ttl, "defaultTtl");
      return this;
    }

    /**
     * Adds a page rule; for each request the first rule whose path matches applies, in the order
     * added. See {@link PageRule}.
     */
    public Builder rule(PageRule rule) {
      this.rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /** Request headers every stored page varies on, besides the response's own {@code Vary}. */
    public Builder vary(String... headerNames) {
      List<String> names = new ArrayList<>();
      for (String name : headerNames) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("vary: a header name is blank");
        }
        names.add(name.trim());
      }
      this.vary = List.copyOf(names);
      return this;
    }

    /**
     * The application's last word on storing: called with the request and the origin's response
     * (status and headers set, body not yet written) for each response the cache would store;
     * {@code false} streams it through unstored. Always {@code true} unless set.
     */
    public Builder cacheIf(BiPredicate<HttpServletRequest, HttpServletResponse> condition) {
      this.condition = Objects.requireNonNull(condition, "cacheIf");
      return this;
    }

    /**
     * The response fields that tag a stored response for {@link
     * ResponseCacheFilter#invalidateTags}; they are never sent to clients. {@code Cache-Tag} and
     * {@code Surrogate-Key} unless set.
     */
    public Builder tagHeaders(String... fieldNames) {
      List<String> names = new ArrayList<>();
      for (String name : fieldNames) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("tagHeaders: a field name is blank");
        }
        names.add(name.trim());
      }
      this.tagFields = List.copyOf(names);
      return this;
    }

    /**
     * Keys every stored response under this origin ({@code scheme://host:port}) rather than the
     * one each request names, so that the nodes of a reverse proxy reached under different names
     * share their entries and purges: give it the origin the proxy forwards to. The request's own
     * unless set.
     */
    public Builder keyOrigin(String origin) {
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(origin, "keyOrigin"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("keyOrigin: not a URL: " + origin, e);
      }
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "keyOrigin: give scheme://host[:port], e.g. http://origin:8000, was " + origin);
      }
      this.keyOrigin = uri;
      return this;
    }

    /** Builds the filter. */
    public ResponseCacheFilter build() {
      return new ResponseCacheFilter(this);
    }

    private static List<String> globs(String[] globs, String option) {
      List<String> chosen = new ArrayList<>();
      for (String glob : globs) {
        if (glob == null || glob.isEmpty()) {
          throw new IllegalArgumentException(option + ": a pattern is empty");
        }
        Glob.of(glob);
        chosen.add(glob);
      }
      return List.copyOf(chosen);
    }

    private static Duration positive(Duration duration, String option) {
      Objects.requireNonNull(duration, option);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(option + " must be positive, was " + duration);
      }
      return duration;
    }
  }
}
