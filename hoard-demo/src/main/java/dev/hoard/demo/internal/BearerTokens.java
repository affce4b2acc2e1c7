package dev.hoard.demo.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's bearer tokens: JWTs signed with HS256 that name a user and expire. Only HS256 with
 * the demo's own key is accepted, so neither {@code alg: none} nor another algorithm slips
 * through; expiry follows the demo's clock.
 */
final class BearerTokens {

  /** A token as {@code POST /api/auth/token} hands it out. */
  record Issued(String token, Instant expiresAt) {}

  private static final Logger log = LoggerFactory.getLogger(BearerTokens.class);
  private static final String ISSUER = "hoard-demo";
  private static final int GENERATED_KEY_BYTES = 32;

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration lifetime;
  private final Clock clock;

  private BearerTokens(byte[] key, Duration lifetime, Clock clock) {
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the token key is unusable for HS256: " + e.getMessage(),
          e);
    }
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Tokens signed with {@code key}, or with a key made now when it is null (and logged so). */
  static BearerTokens create(byte[] key, Duration lifetime, Clock clock) {
    if (key == null) {
      log.warn("HOARD_DEMO_JWT_KEY is not set: bearer tokens are signed with a key made at start,"
          + " so they stop working when this process stops and no other instance accepts them");
      key = new byte[GENERATED_KEY_BYTES];
      new SecureRandom().nextBytes(key);
    }
    return new BearerTokens(key, lifetime, clock);
  }

  /** A new token for the user, valid for the configured lifetime. */
  Issued issue(User user) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(lifetime);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(Long.toString(user.id()))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expiresAt))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a bearer token failed", e);
    }
    return new Issued(jwt.serialize(), expiresAt);
  }

  /**
   * The id of the user the token names.
   *
   * @throws ApiException 401 when the token is malformed, not HS256, not signed with our key,
   *     expired or not ours
   */
  long userId(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw refused("it is not a signed JWT");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw refused("only HS256 tokens from POST /api/auth/token are accepted");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw refused("its signature is wrong");
      }
    } catch (JOSEException e) {
      throw refused("its signature cannot be checked");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refused("its claims are malformed");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !clock.instant().isBefore(expiry.toInstant())) {
      throw refused("it has expired; get a new one from POST /api/auth/token");
    }
    if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null) {
      throw refused("it was not issued by this service");
    }
    try {
      return Long.parseLong(claims.getSubject());
    } catch (NumberFormatException e) {
      throw refused("it names no user");
    }
  }

  private static ApiException refused(String why) {
    return ApiException.unauthenticated("the bearer token is refused: " + why);
  }
}
