package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registration, login and logout, bearer tokens, password and profile changes, and {@link
 * #signedIn} for every endpoint that needs a user: by {@code Authorization: Bearer <JWT>} or by
 * session (seed 002's mixed auth). The session holds the user's id, name and role; the profile
 * itself is read through the cache.
 */
final class AccountApi {

  static final String USER_ID = "user_id";
  static final String USERNAME = "username";
  static final String ROLE = "role";

  private static final Pattern USERNAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  private static final int MIN_PASSWORD = 8;
  private static final int MAX_PASSWORD = 128;
  private static final int MAX_EMAIL = 254;

  /** {@code POST /api/auth/register}. */
  record Registration(String username, String password, String email) {}

  /** {@code POST /api/auth/login} and {@code POST /api/auth/token}. */
  record Login(String username, String password) {}

  /** {@code POST /api/auth/password}. */
  record PasswordChange(String currentPassword, String newPassword) {}

  /** {@code PATCH /api/users/me}: the fields a user may change. */
  record ProfileChange(String email) {}

  /** The body of a destructive admin action: the admin's password again (ASVS 3.7.1). */
  record Confirmation(String password) {}

  private final TodoStore store;
  private final PasswordHasher passwords;
  private final SessionBinding binding;
  private final BearerTokens tokens;

  AccountApi(
      TodoStore store, PasswordHasher passwords, SessionBinding binding, BearerTokens tokens) {
    this.store = store;
    this.passwords = passwords;
    this.binding = binding;
    this.tokens = tokens;
  }

  void register(Routes routes) {
    routes.post("/api/auth/register", this::register)
        .post("/api/auth/login", this::login)
        .post("/api/auth/token", this::token)
        .post("/api/auth/logout", this::logout)
        .post("/api/auth/password", this::changePassword)
        .get("/api/auth/me", exchange -> Map.of("user", signedIn(exchange)))
        .patch("/api/users/me", this::changeProfile);
  }

  /**
   * The user of the request's bearer token, else of its session; 401 when there is none or the
   * token is refused (a refused token never falls back to the session).
   */
  User signedIn(Exchange exchange) {
    Optional<String> bearer = exchange.bearerToken();
    if (bearer.isPresent()) {
      return store.user(tokens.userId(bearer.get())).orElseThrow(
          () -> ApiException.unauthenticated("the bearer token's user no longer exists"));
    }
    HttpSession session = exchange.existingSession().orElseThrow(AccountApi::notSignedIn);
    Object id = session.getAttribute(USER_ID);
    if (!(id instanceof Number number)) {
      throw notSignedIn();
    }
    Optional<User> user = store.user(number.longValue());
    if (user.isEmpty()) {
      session.invalidate();
      throw ApiException.unauthenticated("the session's user no longer exists; log in again");
    }
    return user.get();
  }

  /** {@link #signedIn}, and 403 unless the user is an admin. */
  User admin(Exchange exchange) {
    User user = signedIn(exchange);
    if (!user.isAdmin()) {
      throw ApiException.forbidden("only an admin may do this (the first user registered is one)");
    }
    return user;
  }

  /**
   * Checks the signed-in user's password again before a destructive action (ASVS 3.7.1): 403
   * naming the field when it is missing or wrong.
   */
  void confirmPassword(User user, String password) {
    if (password == null || password.isEmpty()) {
      throw ApiException.forbiddenField("password", "this action needs your password again:"
          + " send it as \"password\" in the body");
    }
    if (!passwordMatches(user.username(), password)) {
      throw ApiException.forbiddenField("password", "the password is wrong");
    }
  }

  private Object register(Exchange exchange) throws IOException {
    Registration body = exchange.body(Registration.class);
    String username = checkUsername(body.username());
    String password = checkNewPassword("password", body.password());
    String email = checkEmail(body.email());
    User user = store.register(username, email, passwords.hash(password))
        .orElseThrow(() -> ApiException.conflict("username",
            "the user name '" + username + "' is taken; choose another"));
    return Reply.created(Map.of("user", user));
  }

  private Object login(Exchange exchange) throws IOException {
    User user = authenticate(exchange.body(Login.class));
    HttpSession session = binding.signIn(exchange.request(), user);
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("user", user);
    // The session id itself goes out as the cookie, and as the X-Session-ID response header to
    // clients that sent no cookie; cookie clients echo this token in X-CSRF-Token.
    reply.put("csrf_token", binding.csrfToken(exchange.request()));
    reply.put("expires_in_seconds", session.getMaxInactiveInterval());
    return reply;
  }

  /** {@code POST /api/auth/token}: the credentials of a login, answered with a bearer token. */
  private Object token(Exchange exchange) throws IOException {
    User user = authenticate(exchange.body(Login.class));
    BearerTokens.Issued issued = tokens.issue(user);
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("access_token", issued.token());
    reply.put("token_type", "Bearer");
    reply.put("expires_in",
        Math.max(0, Duration.between(exchange.now(), issued.expiresAt()).toSeconds()));
    reply.put("user", user);
    return reply;
  }

  /**
   * {@code POST /api/auth/password}: the current password and a new one. Ends every other session
   * of the user (ASVS 3.3.3); the caller's own session goes on under a new id where the store
   * allows it (see {@link SessionBinding#endOthers}).
   */
  private Object changePassword(Exchange exchange) throws IOException {
    User user = signedIn(exchange);
    PasswordChange body = exchange.body(PasswordChange.class);
    String current = required("current_password", body.currentPassword());
    String replacement = checkNewPassword("new_password", body.newPassword());
    if (!passwordMatches(user.username(), current)) {
      throw ApiException.forbiddenField("current_password", "the current password is wrong");
    }
    store.changePassword(user.id(), passwords.hash(replacement));
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("password_changed", true);
    reply.putAll(binding.endOthers(exchange, user));
    return reply;
  }

  /** {@code PATCH /api/users/me}: changes the profile and drops every cached entry of the user. */
  private Object changeProfile(Exchange exchange) throws IOException {
    User user = signedIn(exchange);
    ProfileChange body = exchange.body(ProfileChange.class);
    User changed = store.changeEmail(user.id(), checkEmail(body.email()))
        .orElseThrow(() -> ApiException.unauthenticated("the user no longer exists"));
    return Map.of("user", changed);
  }

  /** The user with these credentials; 401 otherwise, as slow for unknown names as for known. */
  private User authenticate(Login body) {
    String username = required("username", body.username());
    String password = required("password", body.password());
    Optional<Users.Credentials> credentials = store.credentials(username);
    boolean valid = credentials.isPresent()
        ? passwords.matches(password, credentials.get().passwordHash())
        : passwords.matchesNothing(password);
    if (!valid) {
      throw ApiException.unauthenticated("wrong user name or password");
    }
    return store.user(credentials.get().id())
        .orElseThrow(() -> ApiException.unauthenticated("wrong user name or password"));
  }

  private boolean passwordMatches(String username, String password) {
    Optional<Users.Credentials> credentials = store.credentials(username);
    return credentials.isPresent() && passwords.matches(password, credentials.get().passwordHash());
  }

  private Object logout(Exchange exchange) {
    exchange.existingSession().ifPresent(HttpSession::invalidate);
    return Reply.noContent();
  }

  private static String checkUsername(String value) {
    String username = required("username", value);
    if (!USERNAME_PATTERN.matcher(username).matches()) {
      throw ApiException.invalid("username", "username must be 3 to 32 letters, digits, '_', '.'"
          + " or '-'");
    }
    return username;
  }

  private static String checkNewPassword(String field, String value) {
    String password = required(field, value);
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw ApiException.invalid(field, field + " must be " + MIN_PASSWORD + " to "
          + MAX_PASSWORD + " characters long");
    }
    return password;
  }

  private static String checkEmail(String value) {
    String email = value == null || value.isBlank() ? null : value.trim();
    if (email != null && (email.length() > MAX_EMAIL || !email.matches("[^@\\s]+@[^@\\s]+"))) {
      throw ApiException.invalid("email", "email must look like name@example.com");
    }
    return email;
  }

  private static String required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.invalid(field, field + " is required");
    }
    return value;
  }

  private static ApiException notSignedIn() {
    return ApiException.unauthenticated("log in first: POST /api/auth/login, then send the"
        + " session cookie, an 'Authorization: Session <id>' or an 'X-Session-ID' header; or get"
        + " a token from POST /api/auth/token and send 'Authorization: Bearer <token>'");
  }
}
