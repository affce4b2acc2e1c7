package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hoard.demo.ApiClient.Reply;
import dev.hoard.servlet.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an outside probe of the demo found (issue 12), each over real HTTP against the running
 * demo: raw sockets where java.net.http would normalise the request.
 */
class HttpHardeningTest {

  private static final String PASSWORD = "correct horse battery";
  private static final int MAX_BODY = 4096;

  @TempDir static Path data;

  private static TodoDemo demo;

  @BeforeAll
  static void start() {
    demo = TodoDemo.builder().port(0).dataDirectory(data).loginLimit(1000, Duration.ofMinutes(1))
        .maxBodyBytes(MAX_BODY)
        .start();
    ApiClient.withCookies(demo.uri()).signUp("root", PASSWORD);
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void aSessionIdDifferingOnlyInLetterCaseIsRefusedOnTheSameConnection() {
    String id = ApiClient.withoutCookies(demo.uri()).signUp("casey", PASSWORD);
    String changed = swapCaseOfFirstLetter(id);
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      RawHttp.Response real = connection.send("GET", "/api/auth/me",
          "X-Session-ID: " + id);
      assertThat(real.status()).isEqualTo(200);
      RawHttp.Response forged = connection.send("GET", "/api/auth/me",
          "X-Session-ID: " + changed);
      assertThat(forged.status()).as("the header cache must not hand back the earlier value")
          .isEqualTo(401);
      RawHttp.Response byAuthorization = connection.send("GET", "/api/auth/me",
          "Authorization: Session " + id);
      assertThat(byAuthorization.status()).isEqualTo(200);
      assertThat(connection.send("GET", "/api/auth/me",
          "Authorization: Session " + changed).status()).isEqualTo(401);
    }
  }

  @Test
  void theServerHeaderDoesNotNameJetty() {
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      RawHttp.Response health = connection.send("GET", "/health");
      assertThat(health.header("Server").orElse(null)).as("Server header").satisfiesAnyOf(
          server -> assertThat(server).isNull(),
          server -> assertThat(server).doesNotContainIgnoringCase("jetty").doesNotContainPattern("\\d"));
      assertThat(health.header("X-Powered-By")).isEmpty();
      RawHttp.Response bad = connection.send("GET", "/x", "Bad Header Line");
      assertThat(bad.header("Server")).isEmpty();
    }
  }

  @Test
  void anUnsupportedCharsetIs415JsonAndNeverAStackTrace() {
    ApiClient client = ApiClient.withCookies(demo.uri());
    for (String type : List.of("application/json; charset=ebcdic",
        "application/json;charset=\"x-no-such-charset\"", "application/json; charset=UTF-16",
        "application/json; charset=ISO-8859-1")) {
      Reply reply = client.postRaw("/api/auth/login", type,
          "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}");
      assertThat(reply.status()).as(type).isEqualTo(415);
      assertThat(reply.json().get("error").asText()).isEqualTo("unsupported_media_type");
      assertThat(reply.text()).doesNotContain("Exception").doesNotContain("at org.");
    }
    assertThat(client.postRaw("/api/auth/login", "application/json; charset=utf-8",
        "{\"username\":\"root\",\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(200);
  }

  @Test
  void traceAndOtherMethodsAre405WithoutEchoingCredentials() {
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      for (String path : List.of("/", "/api/tasks", "/dashboard.js", "/nowhere")) {
        for (String method : List.of("TRACE", "TRACK", "OPTIONS", "CONNECT", "PROPFIND")) {
          String target = method.equals("CONNECT") ? demo.uri().getAuthority() : path;
          RawHttp.Response reply = connection.send(method, target,
              "Cookie: HOARD_SESSION=secret-cookie-value",
              "Authorization: Session secret-authorization-value");
          assertThat(reply.status()).as("%s %s", method, target).isIn(400, 405);
          assertThat(reply.header("Content-Type")).as("%s %s: %s", method, target, reply)
              .hasValueSatisfying(
              type -> assertThat(type).startsWith("application/json"));
          assertThat(reply.body()).doesNotContain("secret-cookie-value")
              .doesNotContain("secret-authorization-value");
        }
      }
    }
  }

  @Test
  void bodiesOverTheLimitAre413WhetherTheyDeclareALengthOrNot() throws Exception {
    String huge = "{\"username\":\"root\",\"password\":\"" + "x".repeat(MAX_BODY) + "\"}";
    Reply declared = ApiClient.withCookies(demo.uri())
        .postRaw("/api/auth/login", "application/json", huge);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().get("error").asText()).isEqualTo("payload_too_large");

    HttpResponse<String> chunked = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(demo.uri().resolve("/api/auth/register"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.body()).contains("payload_too_large");
  }

  @Test
  void wrongJsonTypesAre400NamingTheField() {
    ApiClient pat = ApiClient.withCookies(demo.uri());
    pat.signUp("pat", PASSWORD);
    Map<String, Object> numberTitle = Map.of("title", 5);
    Reply title = pat.post("/api/tasks", numberTitle);
    assertThat(title.status()).isEqualTo(400);
    assertThat(title.json().get("field").asText()).isEqualTo("title");
    Reply completed = pat.post("/api/tasks", Map.of("title", "t", "completed", "yes"));
    assertThat(completed.status()).isEqualTo(400);
    assertThat(completed.json().get("field").asText()).isEqualTo("completed");
    Reply number = pat.post("/api/tasks", Map.of("title", "t", "completed", 1));
    assertThat(number.status()).isEqualTo(400);
    Reply password = pat.post("/api/auth/login", Map.of("username", "pat", "password", 12345678));
    assertThat(password.status()).isEqualTo(400);
    assertThat(pat.get("/api/tasks").json().get("count").asInt()).isZero();
  }

  @Test
  void bodiesThatAreNotUtf8Are400() {
    byte[][] bad = {
        {(byte) 0xC0, (byte) 0xA2},                    // over-long '"'
        {(byte) 0xE0, (byte) 0x80, (byte) 0xA2},       // over-long, three bytes
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},       // a lone surrogate
        {(byte) 0xFF},                                 // never in UTF-8
        {(byte) 0xE2, (byte) 0x82},                    // truncated
    };
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      for (byte[] sequence : bad) {
        byte[] prefix = "{\"username\":\"root\",\"password\":\"a".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + sequence.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(sequence, 0, body, prefix.length, sequence.length);
        System.arraycopy(suffix, 0, body, prefix.length + sequence.length, suffix.length);
        RawHttp.Response reply = connection.send("POST", "/api/auth/login", body,
            "Content-Type: application/json");
        assertThat(reply.status()).as("bytes %s", java.util.HexFormat.of().formatHex(sequence))
            .isEqualTo(400);
        assertThat(reply.body()).contains("UTF-8");
      }
    }
  }

  @Test
  void jettysOwnErrorsAreJson() {
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      RawHttp.Response longUri = connection.send("GET", "/api/tasks?q=" + "a".repeat(20_000));
      assertJsonError(longUri, 414, 431);
    }
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      RawHttp.Response longHeader = connection.send("GET", "/api/tasks",
          "X-Padding: " + "a".repeat(20_000));
      assertJsonError(longHeader, 431);
    }
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      assertJsonError(connection.send("GET", "/x", "Bad Header Line"), 400);
    }
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      assertJsonError(connection.send("GET", "/api/%2e%2e/%2e%2e/etc"), 400, 404);
    }
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      assertJsonError(connection.send("GET", "/api/a%2Fb", "Accept: text/html"),
          400, 404);
      assertJsonError(connection.send("GET", "/no/such/page", "Accept: text/html"),
          404);
    }
  }

  @Test
  void xSessionIdGoesOnlyToHeaderClients() {
    ApiClient.withCookies(demo.uri()).post("/api/auth/register",
        Map.of("username", "hedy", "password", PASSWORD));
    try (RawHttp connection = RawHttp.connect(demo.uri().getPort())) {
      byte[] login = ("{\"username\":\"hedy\",\"password\":\"" + PASSWORD + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      RawHttp.Response fresh = connection.send("POST", "/api/auth/login", login,
          "Content-Type: application/json");
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(fresh.header("Set-Cookie")).isPresent();
      assertThat(fresh.header("X-Session-ID")).as("a client that sent nothing").isEmpty();

      String cookie = fresh.header("Set-Cookie").orElseThrow().split(";")[0];
      RawHttp.Response again = connection.send("POST", "/api/auth/login", login,
          "Content-Type: application/json", "Cookie: " + cookie);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.header("X-Session-ID")).as("a cookie client").isEmpty();

      RawHttp.Response header = connection.send("POST", "/api/auth/login", login,
          "Content-Type: application/json", "X-Session-ID: new");
      assertThat(header.status()).isEqualTo(200);
      assertThat(header.header("X-Session-ID")).as("a header client")
          .hasValueSatisfying(id -> assertThat(id).isNotBlank());
      assertThat(header.header("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void theSessionDataCapHoldsUnderConcurrentUpdates() throws Exception {
    String id = ApiClient.withoutCookies(demo.uri()).signUp("racer", PASSWORD);
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 5; round++) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> statuses = new ArrayList<>();
        for (int writer = 0; writer < writers; writer++) {
          Map<String, Object> entries = new HashMap<>();
          for (int i = 0; i < 20; i++) {
            entries.put("r" + round + "w" + writer + "e" + i, i);
          }
          ApiClient client = ApiClient.withoutCookies(demo.uri()).header("X-Session-ID", id);
          statuses.add(CompletableFuture.supplyAsync(() -> {
            await(go);
            return client.post("/api/cache/session/update", entries).status();
          }, pool));
        }
        go.countDown();
        for (CompletableFuture<Integer> status : statuses) {
          assertThat(status.get(30, TimeUnit.SECONDS)).isIn(200, 400);
        }
        JsonNode info = ApiClient.withoutCookies(demo.uri()).header("X-Session-ID", id)
            .get("/api/cache/session/info").json();
        assertThat(info.get("session_data").size()).as("round %d", round).isBetween(1, 32);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertJsonError(RawHttp.Response reply, Integer... statuses) {
    assertThat(reply.status()).isIn((Object[]) statuses);
    assertThat(reply.header("Content-Type")).as("status %d: %s", reply.status(), reply.body())
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body;
    try {
      body = ApiClient.JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + reply.body(), e);
    }
    assertThat(body.get("error").asText()).isNotBlank();
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(reply.body()).doesNotContain("<html").doesNotContain("at org.");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String swapCaseOfFirstLetter(String id) {
    char[] chars = id.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (Character.isLetter(chars[i])) {
        chars[i] = Character.isUpperCase(chars[i])
            ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
        return new String(chars);
      }
    }
    throw new AssertionError("no letter in " + id);
  }
}
