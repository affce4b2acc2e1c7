package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.hoard.cache.testing.ManualClock;
import dev.hoard.demo.ApiClient.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 002's mixed auth: {@code Authorization: Bearer <JWT>} from {@code POST /api/auth/token}
 * beside sessions, and every kind of forged, expired or foreign token refused with 401.
 */
class BearerTokenTest {

  private static final String PASSWORD = "correct horse battery";
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path data;

  private static final ManualClock clock =
      new ManualClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private static TodoDemo demo;

  @BeforeAll
  static void start() {
    demo = TodoDemo.builder().port(0).dataDirectory(data).clock(clock)
        .loginLimit(1000, Duration.ofMinutes(1))
        .tokenKey(KEY)
        .tokenLifetime(Duration.ofMinutes(15))
        .start();
    // The admin, user 1: the forged tokens below try to become it.
    ApiClient.withCookies(demo.uri()).post("/api/auth/register",
        Map.of("username", "root", "password", PASSWORD));
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void aTokenFromTheTokenEndpointAuthenticatesUntilItExpires() {
    ApiClient.withCookies(demo.uri()).post("/api/auth/register",
        Map.of("username", "tess", "password", PASSWORD));
    Reply issued = ApiClient.withoutCookies(demo.uri()).post("/api/auth/token",
        Map.of("username", "tess", "password", PASSWORD));
    assertThat(issued.status()).isEqualTo(200);
    assertThat(issued.json().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(issued.json().get("expires_in").asLong()).isEqualTo(900);
    assertThat(issued.header("Set-Cookie")).as("no session for a token").isNull();
    String token = issued.json().get("access_token").asText();

    ApiClient bearer = ApiClient.withoutCookies(demo.uri()).header("Authorization", "Bearer " + token);
    assertThat(bearer.get("/api/auth/me").json().at("/user/username").asText()).isEqualTo("tess");
    assertThat(bearer.post("/api/tasks", Map.of("title", "by token")).status())
        .as("a token is no cookie: no CSRF token needed").isEqualTo(201);
    assertThat(bearer.get("/api/tasks").json().get("count").asInt()).isEqualTo(1);
    assertThat(bearer.get("/api/cache/session/info").json().get("authentication_method").asText())
        .isEqualTo("bearer");

    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    assertThat(bearer.get("/api/auth/me").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    Reply expired = bearer.get("/api/auth/me");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().get("message").asText()).contains("expired");
  }

  @Test
  void wrongCredentialsGetNoToken() {
    ApiClient.withCookies(demo.uri()).post("/api/auth/register",
        Map.of("username", "ursula", "password", PASSWORD));
    assertThat(ApiClient.withoutCookies(demo.uri()).post("/api/auth/token",
        Map.of("username", "ursula", "password", "not it at all")).status()).isEqualTo(401);
    assertThat(ApiClient.withoutCookies(demo.uri()).post("/api/auth/token",
        Map.of("username", "nobody", "password", PASSWORD)).status()).isEqualTo(401);
  }

  @Test
  void forgedTokensGet401() throws Exception {
    ApiClient.withCookies(demo.uri()).post("/api/auth/register",
        Map.of("username", "victor", "password", PASSWORD));
    String token = ApiClient.withoutCookies(demo.uri()).post("/api/auth/token",
        Map.of("username", "victor", "password", PASSWORD)).json().get("access_token").asText();
    String[] parts = token.split("\\.");
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String rootClaims = base64.encodeToString(
        claims.replaceFirst("\"sub\":\"\\d+\"", "\"sub\":\"1\"").getBytes(StandardCharsets.UTF_8));
    assertThat(rootClaims).isNotEqualTo(parts[1]);
    JWTClaimsSet asRoot = new JWTClaimsSet.Builder().issuer("hoard-demo").subject("1")
        .expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1)))).build();
    SignedJWT otherKey = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), asRoot);
    otherKey.sign(new MACSigner("another key, not the demo's, 32 bytes+".getBytes(StandardCharsets.UTF_8)));
    SignedJWT hs512 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS512), asRoot);
    hs512.sign(new MACSigner(("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .getBytes(StandardCharsets.UTF_8)));
    SignedJWT sameKeyHs384 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS384), asRoot);
    sameKeyHs384.sign(new MACSigner(("0123456789abcdef0123456789abcdef0123456789abcdef")
        .getBytes(StandardCharsets.UTF_8)));
    String none = new PlainJWT(asRoot).serialize();
    String noneWithSignature = base64.encodeToString(
        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + rootClaims + "." + parts[2];
    String flipped = parts[0] + "." + parts[1] + "." + flip(parts[2]);

    for (String forged : List.of(
        parts[0] + "." + rootClaims + "." + parts[2],   // claims changed, signature kept
        flipped,                                       // signature changed
        parts[0] + "." + parts[1] + ".",               // signature dropped
        none, noneWithSignature,                       // alg: none
        otherKey.serialize(), hs512.serialize(), sameKeyHs384.serialize(),
        "not.a.jwt", "garbage", "")) {
      Reply reply = ApiClient.withoutCookies(demo.uri())
          .header("Authorization", "Bearer " + forged).get("/api/auth/me");
      assertThat(reply.status()).as(forged).isEqualTo(401);
      assertThat(reply.json().get("error").asText()).isEqualTo("unauthenticated");
    }
    assertThat(ApiClient.withoutCookies(demo.uri()).header("Authorization", "Bearer " + token)
        .get("/api/auth/me").json().at("/user/username").asText()).isEqualTo("victor");
  }

  private static String flip(String signature) {
    char first = signature.charAt(0);
    return (first == 'A' ? 'B' : 'A') + signature.substring(1);
  }
}
