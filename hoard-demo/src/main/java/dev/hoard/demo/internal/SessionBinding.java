package dev.hoard.demo.internal;

import dev.hoard.servlet.SessionFilter;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;

/**
 * What the demo does with Hoard sessions beyond {@code HttpSession}: signing a user in (new id,
 * user binding) and revoking every user's sessions.
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
          + " keeps sessions in the client (cookie), so they cannot be revoked; sessions end"
          + " when they expire");
    }
  }
}
