package dev.hoard.servlet;

import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionException;
import dev.hoard.session.SessionManager;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hoard session of one request: found lazily from the token the client presented, created on
 * demand, and saved (with the cookie or header that carries its token) before the response
 * commits. Used by one request thread.
 */
final class RequestSession {

  private static final Logger LOG = LoggerFactory.getLogger(RequestSession.class);

  /** Where the client's token came from. */
  public enum Source {
    /** The session cookie: the browser sends it by itself, so unsafe methods need a CSRF token. */
    COOKIE,
    /** {@code Authorization: Session …} or {@code X-Session-ID}: only code that holds it sends it. */
    HEADER,
    /** No token. */
    NONE
  }

  private final SessionManager manager;
  private final ClientInfo client;
  private final Source source;
  private final SessionCookie cookie;
  private final ServletContext context;
  private final boolean secure;
  private HttpServletResponse response;
  private String clientToken;
  private boolean looked;
  private Session session;
  private HoardHttpSession httpSession;

  /** The session state for a request that presented {@code token} (null for none). */
  public RequestSession(SessionManager manager, ClientInfo client, String token, Source source,
      SessionCookie cookie, ServletContext context, boolean secure) {
    this.manager = manager;
    this.client = client;
    this.clientToken = token;
    this.source = source;
    this.cookie = cookie;
    this.context = context;
    this.secure = secure;
  }

  /** The response the token is written to; set once the response is wrapped. */
  public void respondTo(HttpServletResponse response) {
    this.response = response;
  }

  /** Where the presented token came from. */
  public Source source() {
    return source;
  }

  /** The token the client presented, or null. */
  public String presentedToken() {
    return source == Source.NONE ? null : clientToken;
  }

  /** The presented session if it is live, without creating one. */
  public Session existing() {
    if (!looked) {
      looked = true;
      if (clientToken != null) {
        session = manager.find(clientToken, client).orElse(null);
      }
    }
    return session != null && session.isValid() ? session : null;
  }

  /** The live session, created when there is none. */
  public Session current() {
    Session live = existing();
    if (live != null) {
      return live;
    }
    if (response != null && response.isCommitted()) {
      LOG.warn("a session was created after the response was committed; the client will not get"
          + " its cookie, so the session is lost after this request");
    }
    session = manager.create(client);
    httpSession = null;
    return session;
  }

  /** {@link #current()} or {@link #existing()} as an {@code HttpSession}. */
  public HoardHttpSession httpSession(boolean create) {
    Session live = create ? current() : existing();
    if (live == null) {
      return null;
    }
    if (httpSession == null || httpSession.session() != live) {
      httpSession = new HoardHttpSession(live, context, manager.idleTimeout());
    }
    return httpSession;
  }

  /**
   * Writes the session's changes and hands the client its token if that changed. Runs when the
   * response is about to commit and again after the chain; the second run writes only what
   * changed in between.
   *
   * @throws SessionException when the store fails before the response committed, so the client
   *     gets an error instead of a success whose session writes were lost
   */
  public void save() {
    if (session == null) {
      return;
    }
    String token;
    try {
      token = manager.save(session);
    } catch (RuntimeException e) {
      if (response.isCommitted()) {
        LOG.error("saving the session failed after the response was committed; this request's"
            + " session changes are lost", e);
        return;
      }
      throw e instanceof SessionException failure ? failure
          : new SessionException("saving the session failed: " + e.getMessage(), e);
    }
    if (token == null) {
      if (clientToken != null && !session.isValid()) {
        expireCookie();
      }
      return;
    }
    if (token.equals(clientToken)) {
      if (source == Source.HEADER && !response.isCommitted()) {
        response.setHeader("X-Session-ID", token);
      }
      return;
    }
    if (response.isCommitted()) {
      LOG.warn("the session's token changed after the response was committed (a regenerated"
          + " session, or a cookie session changed late); the client keeps its old token");
      return;
    }
    clientToken = token;
    if (source != Source.HEADER) {
      response.addCookie(cookie.build(token, cookie.maxAgeSeconds(), secure));
    }
    if (source != Source.COOKIE) {
      // Never to a request that came with the cookie: browser script could read it here.
      response.setHeader("X-Session-ID", token);
    }
  }

  private void expireCookie() {
    if (response.isCommitted()) {
      return;
    }
    if (source == Source.COOKIE) {
      response.addCookie(cookie.build("", 0, secure));
    }
    clientToken = null;
  }
}
