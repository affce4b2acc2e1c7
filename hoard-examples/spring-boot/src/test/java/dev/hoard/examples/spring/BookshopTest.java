package dev.hoard.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The example over real HTTP on memory stores, as it starts with no server at all. */
class BookshopTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static RunningShop shop;

  @BeforeAll
  static void start() {
    shop = RunningShop.start("hoard.rate-limit.routes.login.limit=3");
  }

  @AfterAll
  static void stop() {
    shop.close();
  }

  @Test
  void cacheableHitIsServedFromHoardAndCountedInItsStats() throws Exception {
    HttpClient client = RunningShop.browser();
    long hitsBefore = stats(client).get("hits").asLong();
    long queriesBefore = stats(client).get("queries").asLong();

    HttpResponse<String> first = shop.get(client, "/api/books/42");
    HttpResponse<String> second = shop.get(client, "/api/books/42");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body()).contains("\"title\":\"Book 42\"");
    JsonNode after = stats(client);
    assertThat(after.get("queries").asLong()).isEqualTo(queriesBefore + 1);
    assertThat(after.get("hits").asLong()).isGreaterThanOrEqualTo(hitsBefore + 1);

    assertThat(shop.get(client, "/api/books/42/cached").statusCode()).isEqualTo(405);
  }

  @Test
  void actuatorListsTheHoardCachesAndTheHealthOfEachStore() throws Exception {
    HttpClient client = RunningShop.browser();
    shop.get(client, "/api/books/1");

    JsonNode caches = JSON.readTree(shop.get(client, "/actuator/caches").body());
    JsonNode health = JSON.readTree(shop.get(client, "/actuator/health").body());

    assertThat(caches.at("/cacheManagers/cacheManager/caches/books/target").asString())
        .startsWith("dev.hoard.");
    assertThat(health.at("/components/hoard/components/cache/status").asString())
        .as("health: %s", health)
        .isEqualTo("UP");
    assertThat(health.at("/components/hoard/components/sessions/status")
        .asString()).isEqualTo("UP");
  }

  @Test
  void theLoginFormIsRateLimitedPerClient() throws Exception {
    HttpClient client = RunningShop.browser();
    for (int i = 0; i < 3; i++) {
      assertThat(shop.get(client, "/login").statusCode()).isEqualTo(200);
    }

    HttpResponse<String> limited = shop.get(client, "/login");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void theResponseCacheAnswersRepeatsOfACacheablePage() throws Exception {
    HttpResponse<String> first = shop.get(RunningShop.browser(), "/api/catalogue");
    HttpResponse<String> second = shop.get(RunningShop.browser(), "/api/catalogue");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.headers().firstValue("X-Cache")).hasValueSatisfying(
        status -> assertThat(status).startsWithIgnoringCase("hit"));
  }

  @Test
  void pagesNeedALoginAndTheSessionKeepsIt() throws Exception {
    HttpClient client = RunningShop.browser();
    assertThat(shop.get(client, "/me").statusCode()).isEqualTo(302);
  }

  private static JsonNode stats(HttpClient client) throws Exception {
    return JSON.readTree(shop.get(client, "/api/stats").body());
  }
}
