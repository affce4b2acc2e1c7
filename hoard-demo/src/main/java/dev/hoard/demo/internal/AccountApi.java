package dev.hoard.demo.internal;

import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Registration, login and logout, and {@link #signedIn} for every endpoint that needs a user. The
 * session holds the user's id, name and role; the profile itself is read through the cache.
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

  /** {@code POST /api/auth/login}. */
  record Login(String username, String password) {}

  private final TodoStore store;
  private final PasswordHasher passwords;
  private final SessionBinding binding;

  AccountApi(TodoStore store, PasswordHasher passwords, SessionBinding binding) {
    this.store = store;
    this.passwords = passwords;
    this.binding = binding;
  }

  void register(Routes routes) {
    routes.post("/api/auth/register", this::register)
        .post("/api/auth/login", this::login)
        .post("/api/auth/logout", this::logout)
        .get("/api/auth/me", exchange -> Map.of("user", signedIn(exchange)));
  }

  /** The user the request's session belongs to; 401 when there is none. */
  User signedIn(Exchange exchange) {
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

  private Object register(Exchange exchange) throws IOException {
    Registration body = exchange.body(Registration.class);
    String username = checkUsername(body.username());
    String password = required("password", body.password());
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw ApiException.invalid("password", "password must be " + MIN_PASSWORD + " to "
          + MAX_PASSWORD + " characters long");
    }
    String email = body.email() == null || body.email().isBlank() ? null : body.email().trim();
    if (email != null && (email.length() > MAX_EMAIL || !email.matches("[^@\\s]+@[^@\\s]+"))) {
      throw ApiException.invalid("email", "email must look like name@example.com");
    }
    User user = store.register(username, email, passwords.hash(password))
        .orElseThrow(() -> ApiException.conflict("username",
            "the user name '" + username + "' is taken; choose another"));
    return Reply.created(Map.of("user", user));
  }

  private Object login(Exchange exchange) throws IOException {
    Login body = exchange.body(Login.class);
    String username = required("username", body.username());
    String password = required("password", body.password());
    Optional<Users.Credentials> credentials = store.credentials(username);
    boolean valid = credentials.isPresent()
        ? passwords.matches(password, credentials.get().passwordHash())
        : passwords.matchesNothing(password);
    if (!valid) {
      throw ApiException.unauthenticated("wrong user name or password");
    }
    User user = store.user(credentials.get().id())
        .orElseThrow(() -> ApiException.unauthenticated("wrong user name or password"));
    HttpSession session = binding.signIn(exchange.request(), user);
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("user", user);
    // The session id itself goes out as the cookie, and as the X-Session-ID response header to
    // clients that sent no cookie; cookie clients echo this token in X-CSRF-Token.
    reply.put("csrf_token", binding.csrfToken(exchange.request()));
    reply.put("expires_in_seconds", session.getMaxInactiveInterval());
    return reply;
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

  private static String required(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw ApiException.invalid(field, field + " is required");
    }
    return value;
  }

  private static ApiException notSignedIn() {
    return ApiException.unauthenticated("log in first: POST /api/auth/login, then send the"
        + " session cookie, an 'Authorization: Session <id>' or an 'X-Session-ID' header");
  }
}
