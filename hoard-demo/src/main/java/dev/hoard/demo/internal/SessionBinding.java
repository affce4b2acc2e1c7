package dev.hoard.demo.internal;

import dev.hoard.servlet.SessionFilter;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.spi.ClientSessionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo does with Hoard sessions beyond {@code HttpSession}: signing a user in (new id,
 * user binding), listing and ending a user's sessions, and revoking every user's sessions.
 */
final class SessionBinding {

  private final SessionManager manager;

  SessionBinding(SessionManager manager) {
    this.manager = manager;
  }

  /**
   * Signs the user in: the session gets a new id (so an id planted before login is worthless), is
   * bound to the user (so "log out everywhere" finds it), and holds the user's id, name and role.
   */
  HttpSession signIn(HttpServletRequest request, User user) {
    HttpSession http = request.getSession(true);
    Session session = SessionFilter.session(request);
    if (!session.isNew()) {
      session.regenerate();
    }
    session.bindUser(Long.toString(user.id()));
    http.setAttribute(AccountApi.USER_ID, user.id());
    http.setAttribute(AccountApi.USERNAME, user.username());
    http.setAttribute(AccountApi.ROLE, user.role());
    return http;
  }

  /** The CSRF token cookie clients send in {@code X-CSRF-Token} on unsafe requests. */
  String csrfToken(HttpServletRequest request) {
    return SessionFilter.session(request).csrfToken();
  }

  /**
   * The user's live sessions, most recently used first.
   *
   * @throws ApiException 409 on cookie sessions, which live in the clients and cannot be listed
   */
  List<SessionInfo> sessionsOf(User user) {
    try {
      List<SessionInfo> sessions = new ArrayList<>(manager.sessionsOf(Long.toString(user.id())));
      sessions.sort(Comparator.comparing(SessionInfo::lastAccessedAt).reversed());
      return sessions;
    } catch (UnsupportedOperationException e) {
      throw ApiException.conflict(null, "the session store " + manager.backend().description()
          + " keeps sessions in the clients (cookies), so they cannot be listed or ended one by"
          + " one; DELETE /api/auth/sessions ends them all");
    }
  }

  /** Ends the user's session with this handle; 404 when the user has no such session. */
  void end(User user, String handle) {
    boolean owned = sessionsOf(user).stream().anyMatch(info -> info.handle().equals(handle));
    if (!owned || !manager.revoke(handle)) {
      throw ApiException.notFound("you have no session " + handle
          + "; GET /api/auth/sessions lists yours");
    }
  }

  /**
   * Ends every session of the user but the caller's (ASVS 3.3.3/3.3.4). The store ends them all,
   * the caller's included; a caller signed in by session then gets a new session (new id, new
   * CSRF token) for the same user. Cookie sessions are ended by recording a revocation, which
   * refuses every cookie session of the user made before it, the caller's too: cookie clients
   * log in again.
   */
  Map<String, Object> endOthers(Exchange exchange, User user) {
    long ended;
    try {
      ended = manager.revokeUser(Long.toString(user.id()));
    } catch (UnsupportedOperationException e) {
      throw ApiException.conflict(null, "the session store " + manager.backend().description()
          + " keeps sessions in the clients (cookies) and no revocation store is configured, so"
          + " they end only when they expire");
    }
    Map<String, Object> reply = new LinkedHashMap<>();
    Optional<HttpSession> current = exchange.existingSession()
        .filter(session -> session.getAttribute(AccountApi.USER_ID) instanceof Number id
            && id.longValue() == user.id());
    if (manager.backend() instanceof ClientSessionStore) {
      current.ifPresent(HttpSession::invalidate);
      reply.put("other_sessions_ended", "all");
      reply.put("signed_in", false);
      reply.put("message", "cookie sessions cannot be told apart on the server: every session of"
          + " yours has ended, this one too; log in again");
      return reply;
    }
    if (current.isPresent()) {
      signIn(exchange.request(), user);
      reply.put("other_sessions_ended", Math.max(0, ended - 1));
      reply.put("signed_in", true);
      reply.put("csrf_token", csrfToken(exchange.request()));
    } else {
      reply.put("other_sessions_ended", ended);
      reply.put("signed_in", false);
    }
    return reply;
  }

  /** Ends every session of these users; returns how many ended. */
  long revokeAll(List<Long> userIds) {
    try {
      long revoked = 0;
      for (long id : userIds) {
        revoked += manager.revokeUser(Long.toString(id));
      }
      return revoked;
    } catch (UnsupportedOperationException e) {
      throw ApiException.conflict("cache_type", "the session store " + manager.backend()
          + " keeps sessions in the client (cookie) and no revocation store is configured, so"
          + " they cannot be revoked; sessions end when they expire");
    }
  }
}
