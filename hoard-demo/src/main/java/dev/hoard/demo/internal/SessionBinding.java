package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;

/** Puts a signed-in user into the request's session. */
final class SessionBinding {

  /**
   * Signs the user in: the session gets a new id (so an id planted before login is worthless) and
   * the user's id, name and role.
   */
  HttpSession signIn(HttpServletRequest request, User user) {
    HttpSession session = request.getSession(true);
    if (!session.isNew()) {
      request.changeSessionId();
    }
    session.setAttribute(AccountApi.USER_ID, user.id());
    session.setAttribute(AccountApi.USERNAME, user.username());
    session.setAttribute(AccountApi.ROLE, user.role());
    return session;
  }

  /** Ends every session of these users; returns how many ended. */
  long revokeAll(List<Long> userIds) {
    throw ApiException.conflict("cache_type",
        "this session store cannot list sessions by user, so it cannot clear them");
  }
}
