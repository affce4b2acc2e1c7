package dev.hoard.cli;

import static dev.hoard.cli.Run.hoard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionInfo;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import dev.hoard.session.cookie.CookieSessionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sessions commands against cache-backed sessions in a file store, shared with the test. */
class SessionCommandsTest {

  static final ClientInfo CLIENT = new ClientInfo("10.0.0.1", "Firefox/140");

  @TempDir Path directory;

  private String url;

  @BeforeEach
  void url() {
    url = "cache:file://" + directory.toAbsolutePath();
  }

  /** Signs {@code user} in on a new session and returns its token. */
  private String signIn(String user) {
    try (SessionManager manager = Sessions.open(url)) {
      Session session = manager.open(null, CLIENT);
      session.bindUser(user);
      return manager.save(session);
    }
  }

  private boolean isLive(String token) {
    try (SessionManager manager = Sessions.open(url)) {
      return manager.find(token, CLIENT).isPresent();
    }
  }

  private List<SessionInfo> sessionsOf(String user) {
    try (SessionManager manager = Sessions.open(url)) {
      return manager.sessionsOf(user);
    }
  }

  @Test
  void listPrintsTheHandlesOfAUsersSessions() {
    String laptop = signIn("alice");
    String phone = signIn("alice");
    signIn("bob");

    Run list = hoard("sessions", "list", "--url", url, "--user", "alice");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines()).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("created ").contains("expires ")
            .endsWith("  from 10.0.0.1  agent \"Firefox/140\""))
        .noneSatisfy(line -> assertThat(line).contains(laptop))
        .noneSatisfy(line -> assertThat(line).contains(phone));
    assertThat(list.out().lines().findFirst().orElseThrow())
        .as("the most recently used first").startsWith(sessionsOf("alice").get(0).handle());
    assertThat(hoard("sessions", "list", "--url", url, "--user", "nobody").out()).isEmpty();
  }

  @Test
  void revokeEndsOneSessionByHandle() {
    String laptop = signIn("alice");
    String phone = signIn("alice");
    String handle = sessionsOf("alice").get(0).handle();

    Run revoke = hoard("sessions", "revoke", "--url", url, handle);

    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).isEqualTo("revoked session " + handle + "\n");
    assertThat(List.of(isLive(laptop), isLive(phone))).containsExactlyInAnyOrder(true, false);

    Run again = hoard("sessions", "revoke", "--url", url, handle);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("no live session has handle");
  }

  @Test
  void revokeUserLogsOutEverywhere() {
    String laptop = signIn("alice");
    String phone = signIn("alice");
    String bob = signIn("bob");

    Run revoke = hoard(Map.of("HOARD_SESSION_URL", url), false,
        "sessions", "revoke", "--user", "alice");

    assertThat(revoke.exitCode()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).isEqualTo("revoked 2 sessions of user 'alice'\n");
    assertThat(isLive(laptop)).isFalse();
    assertThat(isLive(phone)).isFalse();
    assertThat(isLive(bob)).isTrue();
  }

  @Test
  void purgeReportsWhatItRemoved() {
    signIn("alice");
    Run purge = hoard("sessions", "purge", "--url", url);
    assertThat(purge.exitCode()).as(purge.toString()).isZero();
    assertThat(purge.out()).isEqualTo("purged 0 expired sessions\n");
  }

  @Test
  void revokeTakesAHandleOrAUserButNotBoth() {
    assertThat(hoard("sessions", "revoke", "--url", url).exitCode()).isEqualTo(2);
    Run both = hoard("sessions", "revoke", "--url", url, "handle", "--user", "alice");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.firstErrorLine()).contains("HANDLE or --user");
  }

  @Test
  void withoutAUrlTheCommandSaysWhereToPutOne() {
    Run list = hoard("sessions", "list", "--user", "alice");
    assertThat(list.exitCode()).isEqualTo(2);
    assertThat(list.firstErrorLine()).contains("--url").contains("HOARD_SESSION_URL");
  }

  @Test
  void aBadUrlIsBadUsageNamingTheParameter() {
    Run list = hoard("sessions", "list", "--url", url + "?idleTimeout=soon", "--user", "alice");
    assertThat(list.exitCode()).isEqualTo(2);
    assertThat(list.firstErrorLine()).contains("idleTimeout");
  }

  @Test
  void cookieSessionsCannotBeListedOrRevoked() {
    String key = CookieSessionStore.generateKey();
    Run list = hoard("sessions", "list", "--url", "cookie://?keys=" + key, "--user", "alice");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.firstErrorLine()).contains("cookie").doesNotContain(key);
    Run revoke = hoard("sessions", "revoke", "--url", "cookie://?keys=" + key, "--user", "alice");
    assertThat(revoke.exitCode()).isEqualTo(1);
  }
}
