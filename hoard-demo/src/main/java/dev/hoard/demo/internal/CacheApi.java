package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.CacheStats;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/cache}: statistics (admins only), clearing by kind, invalidating one user's or one
 * task's entries, and the session endpoints of the seed API (info, update, delete). An admin
 * clearing caches or invalidating another user's entries sends their password again (ASVS 3.7.1).
 */
final class CacheApi {

  private static final Set<String> SESSION_OWN_NAMES =
      Set.of(AccountApi.USER_ID, AccountApi.USERNAME, AccountApi.ROLE);
  private static final Pattern DATA_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final int MAX_DATA_ENTRIES = 32;
  /** The session attribute holding the entries of {@code /api/cache/session/update}. */
  private static final String SESSION_DATA = "session_data";
  private static final int MAX_STRING = 1000;
  private static final Set<String> KINDS = Set.of("users", "tasks", "sessions", "all");

  /** {@code POST /api/cache/clear}. */
  record Clear(String cacheType, String password) {}

  private final DemoCaches caches;
  private final TodoStore store;
  private final AccountApi accounts;
  private final SessionBinding sessions;
  private final DemoMetrics metrics;
  private final Clock clock;

  CacheApi(
      DemoCaches caches, TodoStore store, AccountApi accounts, SessionBinding sessions,
      DemoMetrics metrics, Clock clock) {
    this.caches = caches;
    this.store = store;
    this.accounts = accounts;
    this.sessions = sessions;
    this.metrics = metrics;
    this.clock = clock;
  }

  void register(Routes routes) {
    routes.get("/api/cache/stats", this::stats)
        .post("/api/cache/clear", this::clear)
        .post("/api/cache/invalidate/user/{id}", this::invalidateUser)
        .post("/api/cache/invalidate/task/{id}", this::invalidateTask)
        .get("/api/cache/session/info", this::sessionInfo)
        .post("/api/cache/session/update", this::updateSession)
        .delete("/api/cache/session", this::deleteSession);
  }

  /**
   * Seed 002's statistics: key counts where they can be had ({@code null} where not: stores that
   * cannot list keys such as Memcached, sessions, whose store has no count, and the tagged
   * profile and task entries), the store, its health, and each cache's hit/miss statistics.
   */
  private Object stats(Exchange exchange) {
    accounts.admin(exchange);
    Map<String, Object> cacheStats = new LinkedHashMap<>();
    cacheStats.put("total_keys", orNull(caches.totalKeys()));
    // Profiles and tasks are written through tagged views, whose keys Cache.keys does not list
    // (it lists a view's own keys only); counting them would mean parsing the store's key format.
    cacheStats.put("user_cache_keys", null);
    cacheStats.put("task_cache_keys", null);
    cacheStats.put("page_cache_keys", orNull(caches.keyCount(caches.pages())));
    cacheStats.put("session_keys", null);
    cacheStats.put("store_type", caches.store().description());
    cacheStats.putAll(cacheStats(caches));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("cache_stats", cacheStats);
    body.put("health", caches.answers());
    body.put("sessions", Map.of(
        "active", metrics.activeSessions(),
        "created", metrics.sessionsCreated(),
        "destroyed", metrics.sessionsDestroyed()));
    body.put("timestamp", clock.instant());
    return body;
  }

  private static Long orNull(OptionalLong count) {
    return count.isPresent() ? count.getAsLong() : null;
  }

  /** Each cache's statistics, for the API and the dashboard. */
  static Map<String, Object> cacheStats(DemoCaches caches) {
    Map<String, Object> all = new LinkedHashMap<>();
    for (Map.Entry<String, Cache> entry : caches.byName().entrySet()) {
      CacheStats stats = entry.getValue().stats();
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("hits", stats.hits());
      one.put("misses", stats.misses());
      one.put("hit_rate", stats.hitRate());
      one.put("puts", stats.puts());
      one.put("evictions", stats.evictions());
      one.put("expirations", stats.expirations());
      one.put("load_successes", stats.loadSuccesses());
      one.put("load_failures", stats.loadFailures());
      one.put("average_load_time_ms", stats.averageLoadTime().toNanos() / 1e6);
      one.put("errors", stats.errors());
      one.put("size", stats.size());
      all.put(entry.getKey(), one);
    }
    return all;
  }

  private Object clear(Exchange exchange) throws IOException {
    User admin = accounts.admin(exchange);
    Clear request = exchange.body(Clear.class);
    String kind = request.cacheType();
    if (kind == null) {
      throw ApiException.invalid("cache_type", "cache_type is required: users, tasks, sessions"
          + " or all");
    }
    if (!KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
      throw ApiException.invalid("cache_type", "cache_type must be users, tasks, sessions or all,"
          + " was '" + kind + "'");
    }
    accounts.confirmPassword(admin, request.password());
    List<String> cleared = new ArrayList<>();
    Map<String, Object> body = new LinkedHashMap<>();
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "users" -> clearUsers(cleared);
      case "tasks" -> clearTasks(cleared);
      case "sessions" -> body.put("sessions_revoked", clearSessions(cleared));
      case "all" -> {
        clearUsers(cleared);
        clearTasks(cleared);
        body.put("sessions_revoked", clearSessions(cleared));
      }
    }
    body.put("cleared", cleared);
    return body;
  }

  private void clearUsers(List<String> cleared) {
    store.clearUsers();
    cleared.add(TodoStore.USERS);
  }

  private void clearTasks(List<String> cleared) {
    store.clearTasks();
    cleared.add(TodoStore.TASKS);
  }

  private long clearSessions(List<String> cleared) {
    long revoked = sessions.revokeAll(store.userIds());
    cleared.add("sessions");
    return revoked;
  }

  private Object invalidateUser(Exchange exchange) throws IOException {
    User caller = accounts.signedIn(exchange);
    long id = exchange.id("id");
    if (id != caller.id() && !caller.isAdmin()) {
      throw ApiException.forbidden("you may invalidate only your own cache entries (user "
          + caller.id() + ") unless you are an admin");
    }
    if (id != caller.id()) {
      accounts.confirmPassword(caller, exchange.body(AccountApi.Confirmation.class).password());
    }
    store.invalidateUser(id);
    return Map.of("invalidated", "user", "user_id", id);
  }

  private Object invalidateTask(Exchange exchange) throws IOException {
    User caller = accounts.signedIn(exchange);
    long id = exchange.id("id");
    // Looked up first so that nobody learns whether another user's task exists.
    boolean own = store.task(caller.id(), id).isPresent();
    if (!own && caller.isAdmin()) {
      accounts.confirmPassword(caller, exchange.body(AccountApi.Confirmation.class).password());
    }
    if (!(own || caller.isAdmin()) || store.invalidateTask(id).isEmpty()) {
      throw ApiException.notFound("you have no task " + id);
    }
    return Map.of("invalidated", "task", "task_id", id);
  }

  private Object sessionInfo(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    if (exchange.bearerToken().isPresent()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("session_active", false);
      body.put("authentication_method", "bearer");
      body.put("user_id", user.id());
      body.put("username", user.username());
      body.put("role", user.role());
      return body;
    }
    HttpSession session = exchange.session();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("session_active", true);
    body.put("authentication_method", exchange.sessionTransport());
    body.put("session_id", abbreviate(session.getId()));
    body.put("user_id", user.id());
    body.put("username", user.username());
    body.put("role", user.role());
    body.put("created_at", Instant.ofEpochMilli(session.getCreationTime()));
    body.put("last_accessed", Instant.ofEpochMilli(session.getLastAccessedTime()));
    body.put("expires_in_seconds", session.getMaxInactiveInterval());
    body.put("csrf_token", sessions.csrfToken(exchange.request()));
    body.put("session_data", sessionData(session));
    return body;
  }

  @SuppressWarnings("unchecked")
  private Object updateSession(Exchange exchange) throws IOException {
    accounts.signedIn(exchange);
    Map<String, Object> changes = exchange.body(Map.class);
    HttpSession session = exchange.session();
    Map<String, Object> data = sessionData(session);
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      String name = change.getKey();
      Object value = change.getValue();
      checkDataEntry(name, value);
      if (value == null) {
        data.remove(name);
      } else {
        data.put(name, value);
      }
    }
    if (data.size() > MAX_DATA_ENTRIES) {
      throw ApiException.badBody("a session holds at most " + MAX_DATA_ENTRIES
          + " entries; remove some (set them to null)");
    }
    // One attribute holding the whole map: a store applies a request's changes attribute by
    // attribute, so entries written as attributes by concurrent requests would add up past the
    // cap. Written whole, the last writer wins and the cap holds.
    session.setAttribute(SESSION_DATA, data);
    return Map.of("session_data", data);
  }

  private Object deleteSession(Exchange exchange) {
    exchange.existingSession().ifPresent(HttpSession::invalidate);
    return Reply.noContent();
  }

  private static void checkDataEntry(String name, Object value) {
    if (SESSION_OWN_NAMES.contains(name)) {
      throw ApiException.invalid(name, "'" + name + "' is set by login and cannot be changed");
    }
    if (!DATA_NAME.matcher(name).matches() || name.startsWith("hoard.")) {
      throw ApiException.invalid(name, "session data names are 1 to 64 letters, digits, '_', '.'"
          + " or '-', starting with a letter and not with 'hoard.'; got '" + name + "'");
    }
    boolean scalar = value == null || value instanceof Boolean || value instanceof Number
        || (value instanceof String text && text.length() <= MAX_STRING);
    if (!scalar) {
      throw ApiException.invalid(name, "session data values are strings of at most " + MAX_STRING
          + " characters, numbers, true/false, or null to remove the entry");
    }
  }

  /** The application's own session entries. */
  private static Map<String, Object> sessionData(HttpSession session) {
    Object data = session.getAttribute(SESSION_DATA);
    Map<String, Object> copy = new LinkedHashMap<>();
    if (data instanceof Map<?, ?> entries) {
      entries.forEach((name, value) -> copy.put(String.valueOf(name), value));
    }
    return copy;
  }

  /** Enough of the id to recognise it in logs, not enough to use it. */
  private static String abbreviate(String id) {
    return id.length() <= 8 ? "…" : id.substring(0, 8) + "…";
  }
}
