package dev.hoard.servlet;

import jakarta.servlet.http.Cookie;

/**
 * How the session cookie is written: its name, attributes and the {@code __Host-} or {@code
 * __Secure-} prefix it takes when Secure (ASVS 3.4.4), so a cookie planted over plain HTTP or from
 * a sibling domain is never read as the session's.
 *
 * @param name the name without prefix
 * @param path the {@code Path} attribute
 * @param domain the {@code Domain} attribute, or {@code null} for a host-only cookie
 * @param maxAgeSeconds the {@code Max-Age}, or -1 for a browser-session cookie
 * @param sameSite the {@code SameSite} value ({@code Strict}, {@code Lax} or {@code None})
 * @param alwaysSecure whether the cookie is Secure even on a request that did not come over HTTPS
 * @param prefixed whether a Secure cookie's name takes the prefix
 */
record SessionCookie(
    String name, String path, String domain, int maxAgeSeconds, String sameSite,
    boolean alwaysSecure, boolean prefixed) {

  /** Whether the cookie is Secure on a request that came over HTTPS or not. */
  public boolean secure(boolean secureRequest) {
    return secureRequest || alwaysSecure || sameSite.equals("None");
  }

  /**
   * The cookie's name on such a request: {@code __Host-} when Secure, host-only and on {@code /},
   * {@code __Secure-} when Secure otherwise (browsers refuse {@code __Host-} with a Domain or
   * another Path), the bare name when not Secure.
   */
  public String nameFor(boolean secureRequest) {
    if (!prefixed || !secure(secureRequest)) {
      return name;
    }
    return (domain == null && path.equals("/") ? "__Host-" : "__Secure-") + name;
  }

  /** The cookie carrying {@code value}; {@code maxAge} 0 deletes it, -1 makes it per-browser. */
  public Cookie build(String value, int maxAge, boolean secureRequest) {
    Cookie made = new Cookie(nameFor(secureRequest), value);
    made.setHttpOnly(true);
    made.setSecure(secure(secureRequest));
    made.setPath(path);
    if (domain != null) {
      made.setDomain(domain);
    }
    made.setAttribute("SameSite", sameSite);
    if (maxAge >= 0) {
      made.setMaxAge(maxAge);
    }
    return made;
  }
}
