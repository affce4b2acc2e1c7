package dev.hoard.demo.internal;

import dev.hoard.session.SessionInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/auth/sessions}: the signed-in user's own sessions (ASVS 3.3.4), listed most recently
 * used first, ended one by one or all but the caller's.
 */
final class UserSessionsApi {

  private final AccountApi accounts;
  private final SessionBinding sessions;

  UserSessionsApi(AccountApi accounts, SessionBinding sessions) {
    this.accounts = accounts;
    this.sessions = sessions;
  }

  void register(Routes routes) {
    routes.get("/api/auth/sessions", this::list)
        .delete("/api/auth/sessions", this::endOthers)
        .delete("/api/auth/sessions/{handle}", this::end);
  }

  private Object list(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    List<Map<String, Object>> listed = new ArrayList<>();
    for (SessionInfo info : sessions.sessionsOf(user)) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("handle", info.handle());
      one.put("created_at", info.createdAt());
      one.put("last_used_at", info.lastAccessedAt());
      one.put("expires_at", info.expiresAt());
      // As the server store keeps them (latest use); null for cookie sessions.
      one.put("address", info.address());
      one.put("user_agent", info.userAgent());
      listed.add(one);
    }
    return Map.of("sessions", listed, "count", listed.size());
  }

  private Object end(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    sessions.end(user, exchange.variable("handle"));
    return Reply.noContent();
  }

  private Object endOthers(Exchange exchange) {
    return sessions.endOthers(exchange, accounts.signedIn(exchange));
  }
}
