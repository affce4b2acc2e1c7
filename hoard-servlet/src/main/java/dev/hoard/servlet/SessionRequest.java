package dev.hoard.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;

/** A request whose {@code getSession} returns the Hoard session. */
final class SessionRequest extends HttpServletRequestWrapper {

  private final RequestSession state;
  private final String sessionAttribute;

  /** Wraps {@code request}; {@code sessionAttribute} names the attribute that holds the Session. */
  public SessionRequest(HttpServletRequest request, RequestSession state, String sessionAttribute) {
    super(request);
    this.state = state;
    this.sessionAttribute = sessionAttribute;
  }

  /** The per-request session state. */
  public RequestSession state() {
    return state;
  }

  @Override
  public HttpSession getSession(boolean create) {
    return state.httpSession(create);
  }

  @Override
  public HttpSession getSession() {
    return state.httpSession(true);
  }

  /** Regenerates the session: a new id and CSRF token with the same data (fixation defence). */
  @Override
  public String changeSessionId() {
    HoardHttpSession session = state.httpSession(false);
    if (session == null) {
      throw new IllegalStateException("there is no session whose id could change");
    }
    session.session().regenerate();
    return session.getId();
  }

  @Override
  public String getRequestedSessionId() {
    return state.presentedToken();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return state.presentedToken() != null && state.existing() != null;
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return state.source() == RequestSession.Source.COOKIE;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false;
  }

  /** The Hoard session under {@code sessionAttribute}, created on first use like getSession(). */
  @Override
  public Object getAttribute(String name) {
    if (sessionAttribute.equals(name)) {
      return state.current();
    }
    return super.getAttribute(name);
  }
}
