package dev.hoard.spring.boot.autoconfigure;

import dev.hoard.ratelimit.RateLimitAlgorithm;
import dev.hoard.servlet.SessionFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hoard.*} properties: which stores the caches, sessions and rate limits use, and how
 * the servlet filters behave. Every store is a Hoard URL, so moving from memory to Redis,
 * Memcached or SQL is a property change.
 */
@ConfigurationProperties("hoard")
public class HoardProperties {

  private final CacheProperties cache = new CacheProperties();
  private final SessionProperties session = new SessionProperties();
  private final RateLimitProperties rateLimit = new RateLimitProperties();
  private final ResponseCacheProperties responseCache = new ResponseCacheProperties();

  public CacheProperties getCache() {
    return cache;
  }

  public SessionProperties getSession() {
    return session;
  }

  public RateLimitProperties getRateLimit() {
    return rateLimit;
  }

  public ResponseCacheProperties getResponseCache() {
    return responseCache;
  }

  /** The Spring {@code CacheManager} over Hoard caches. */
  public static class CacheProperties {

    /** Whether Hoard provides the application's CacheManager. */
    private boolean enabled = true;

    /**
     * Store of every cache without its own URL, e.g. redis://localhost:6379. When unset, the
     * HOARD_CACHE_URL environment variable, else memory:.
     */
    private String url;

    /** How long entries live unless a cache sets its own TTL; they never expire if unset. */
    private Duration ttl;

    /** Whether null results are cached (as Spring's own cache managers do by default). */
    private boolean allowNullValues = true;

    /** Whether caches not listed under hoard.cache.caches are created when first asked for. */
    private boolean dynamic = true;

    /**
     * Packages whose classes may be read back from stores that keep bytes (Redis, Memcached, SQL,
     * file); the application's own packages and java.lang, java.util, java.time, java.math are
     * always allowed.
     */
    private List<String> valuePackages = new ArrayList<>();

    /** Caches by name, each with its own TTL or store. */
    private Map<String, NamedCache> caches = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public boolean isAllowNullValues() {
      return allowNullValues;
    }

    public void setAllowNullValues(boolean allowNullValues) {
      this.allowNullValues = allowNullValues;
    }

    public boolean isDynamic() {
      return dynamic;
    }

    public void setDynamic(boolean dynamic) {
      this.dynamic = dynamic;
    }

    public List<String> getValuePackages() {
      return valuePackages;
    }

    public void setValuePackages(List<String> valuePackages) {
      this.valuePackages = valuePackages;
    }

    public Map<String, NamedCache> getCaches() {
      return caches;
    }

    public void setCaches(Map<String, NamedCache> caches) {
      this.caches = caches;
    }
  }

  /** One cache's own settings; what is unset comes from hoard.cache. */
  public static class NamedCache {

    /** How long this cache's entries live, e.g. 10m. */
    private Duration ttl;

    /** A store of its own, e.g. memcached://cache1:11211; the shared hoard.cache.url if unset. */
    private String url;

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }
  }

  /** Hoard sessions behind HttpSession. */
  public static class SessionProperties {

    /**
     * Session store, e.g. redis://localhost:6379 or jdbc:postgresql://localhost/app; sessions are
     * Hoard's only when set. Accepts the session parameters of Sessions.open (idleTimeout,
     * absoluteTimeout, binding, encryptionKeys, ...).
     */
    private String url;

    /**
     * Base64 key (at least 32 bytes) signing session attributes kept with Java serialization, so
     * objects such as Spring Security's SecurityContext come back as themselves. Every node
     * sharing the store needs the same key. Without it attributes are JSON (maps, lists, strings,
     * numbers), and with Spring Security present the application refuses to start.
     */
    private String signingKey;

    /**
     * Classes (ObjectInputFilter patterns such as com.example.model.*) session attributes may be
     * read back as, besides java.lang, java.util, java.time and, when present, Spring Security.
     */
    private List<String> serializedClasses = new ArrayList<>();

    /** Where SessionFilter sits in the filter chain; before Spring Security's (-100) by default. */
    private int filterOrder = Integer.MIN_VALUE + 50;

    /** Paths (globs) that never get a session. */
    private List<String> excludePaths = new ArrayList<>();

    /** Whether unsafe requests on a cookie session must carry Hoard's CSRF token. */
    private boolean csrf = false;

    private final Cookie cookie = new Cookie();

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getSigningKey() {
      return signingKey;
    }

    public void setSigningKey(String signingKey) {
      this.signingKey = signingKey;
    }

    public List<String> getSerializedClasses() {
      return serializedClasses;
    }

    public void setSerializedClasses(List<String> serializedClasses) {
      this.serializedClasses = serializedClasses;
    }

    public int getFilterOrder() {
      return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }

    public List<String> getExcludePaths() {
      return excludePaths;
    }

    public void setExcludePaths(List<String> excludePaths) {
      this.excludePaths = excludePaths;
    }

    public boolean isCsrf() {
      return csrf;
    }

    public void setCsrf(boolean csrf) {
      this.csrf = csrf;
    }

    public Cookie getCookie() {
      return cookie;
    }
  }

  /** The session cookie. */
  public static class Cookie {

    /** Cookie name. */
    private String name = SessionFilter.DEFAULT_COOKIE_NAME;

    /** Cookie path; / if unset. */
    private String path;

    /** Cookie domain; the host alone if unset. */
    private String domain;

    /** SameSite attribute. */
    private SessionFilter.SameSite sameSite = SessionFilter.SameSite.LAX;

    /** Whether the cookie is always Secure, not only on HTTPS requests. */
    private boolean secure;

    /** Max-Age of the cookie; a browser-session cookie if unset. */
    private Duration maxAge;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getDomain() {
      return domain;
    }

    public void setDomain(String domain) {
      this.domain = domain;
    }

    public SessionFilter.SameSite getSameSite() {
      return sameSite;
    }

    public void setSameSite(SessionFilter.SameSite sameSite) {
      this.sameSite = sameSite;
    }

    public boolean isSecure() {
      return secure;
    }

    public void setSecure(boolean secure) {
      this.secure = secure;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }

  /** RateLimitFilter: limits per client address on the routes listed. */
  public static class RateLimitProperties {

    /** Store of the counters; hoard.cache.url (its rate-limit key space) if unset. */
    private String url;

    /** Limited routes by name; the filter is registered only when there is one. */
    private Map<String, Route> routes = new LinkedHashMap<>();

    /** Filter order: after the session filter, before Spring Security. */
    private int filterOrder = Integer.MIN_VALUE + 60;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public Map<String, Route> getRoutes() {
      return routes;
    }

    public void setRoutes(Map<String, Route> routes) {
      this.routes = routes;
    }

    public int getFilterOrder() {
      return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }
  }

  /** One limited route. */
  public static class Route {

    /** Path glob, e.g. /login or /api/*. */
    private String path;

    /** Requests a client may make per period. */
    private long limit;

    /** The period the limit applies to. */
    private Duration per = Duration.ofMinutes(1);

    /** How requests are counted. */
    private RateLimitAlgorithm algorithm = RateLimitAlgorithm.SLIDING_WINDOW;

    /** Bucket size of a token bucket; the limit if unset. */
    private Long burst;

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public long getLimit() {
      return limit;
    }

    public void setLimit(long limit) {
      this.limit = limit;
    }

    public Duration getPer() {
      return per;
    }

    public void setPer(Duration per) {
      this.per = per;
    }

    public RateLimitAlgorithm getAlgorithm() {
      return algorithm;
    }

    public void setAlgorithm(RateLimitAlgorithm algorithm) {
      this.algorithm = algorithm;
    }

    public Long getBurst() {
      return burst;
    }

    public void setBurst(Long burst) {
      this.burst = burst;
    }
  }

  /** ResponseCacheFilter: a shared HTTP cache (RFC 9111) in front of the paths listed. */
  public static class ResponseCacheProperties {

    /** Paths (servlet URL patterns, e.g. /api/*) the response cache sits in front of; none if empty. */
    private List<String> paths = new ArrayList<>();

    /** Store of the responses; hoard.cache.url if unset. */
    private String url;

    /** How long responses without Cache-Control freshness are kept. */
    private Duration defaultTtl;

    /** Paths (globs) under those that are never cached. */
    private List<String> excludePaths = new ArrayList<>();

    /**
     * Filter order: after Spring Security's chain (-100), so it only ever serves what security let
     * through, and sees the application's Cache-Control rather than security's no-store.
     */
    private int filterOrder = -90;

    public List<String> getPaths() {
      return paths;
    }

    public void setPaths(List<String> paths) {
      this.paths = paths;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public Duration getDefaultTtl() {
      return defaultTtl;
    }

    public void setDefaultTtl(Duration defaultTtl) {
      this.defaultTtl = defaultTtl;
    }

    public List<String> getExcludePaths() {
      return excludePaths;
    }

    public void setExcludePaths(List<String> excludePaths) {
      this.excludePaths = excludePaths;
    }

    public int getFilterOrder() {
      return filterOrder;
    }

    public void setFilterOrder(int filterOrder) {
      this.filterOrder = filterOrder;
    }
  }
}
