package dev.hoard.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Spring Security form login kept in a Hoard session store outlives the application: stop it,
 * start a new one on the same store, and the same cookie is still signed in.
 */
class LoginSurvivesRestartIT {

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  static Stream<String> sessionStores() {
    return Stream.of(
        "redis://127.0.0.1:6379/0?prefix=hoard-spring-example:" + RUN + ":s:",
        "jdbc:postgresql://127.0.0.1:5432/hoard_test?user=postgres"
            + "&table=hoard_spring_example_sessions");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sessionStores")
  void loginSurvivesARestart(String sessionUrl) throws Exception {
    String[] properties = {"hoard.session.url=" + sessionUrl};
    HttpClient browser = RunningShop.browser();
    try (RunningShop shop = RunningShop.start(properties)) {
      HttpResponse<String> login = shop.logIn(browser, "ann", "secret-ann");
      assertThat(login.statusCode()).isEqualTo(302);
      assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
          location -> assertThat(location).doesNotContain("error"));
      assertThat(shop.post(browser, "/me/cart/7", Map.of()).statusCode()).isEqualTo(200);
      assertThat(shop.get(browser, "/me").body()).contains("\"user\":\"ann\"");
    }

    try (RunningShop restarted = RunningShop.start(properties)) {
      HttpResponse<String> me = restarted.get(browser, "/me");

      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.body()).contains("\"user\":\"ann\"").contains("Book 7");
      assertThat(restarted.get(RunningShop.browser(), "/me").statusCode()).isEqualTo(302);
    }
  }
}
