package dev.hoard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hoard.cache.Cache;
import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.spi.ReservedKeySpace;
import dev.hoard.ratelimit.RateLimiter;
import dev.hoard.session.ClientInfo;
import dev.hoard.session.Session;
import dev.hoard.session.SessionManager;
import dev.hoard.session.Sessions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On one SQL database with default URLs, caches, SQL sessions, cache-backed sessions and
 * rate-limit counters live in different tables: clearing the cache ends no session and resets no
 * limit, and a cache told to use another space's table is refused.
 */
class SqlKeySpaceSeparationTest {

  private static final ClientInfo CLIENT = new ClientInfo("10.0.0.3", "Safari/18");

  @TempDir Path directory;

  @Test
  void clearingTheCacheEndsNoSessionAndResetsNoLimit() {
    String url = "jdbc:sqlite:" + directory.resolve("app.db");
    try (SessionManager sql = Sessions.open(url);
        SessionManager cacheBacked = Sessions.open("cache:" + url);
        CacheStore counters =
            Caches.openStore(url, Clock.systemUTC(), ReservedKeySpace.RATE_LIMITS);
        CacheStore cacheStore = Caches.openStore(url, Clock.systemUTC())) {
      String sqlToken = signIn(sql);
      String cacheBackedToken = signIn(cacheBacked);
      RateLimiter logins =
          RateLimiter.builder(counters).name("login").limit(2).per(Duration.ofMinutes(5)).build();
      logins.tryAcquire("10.0.0.3");

      Cache cache = Cache.builder(cacheStore).build();
      cache.put("greeting", "hello", Duration.ofMinutes(5));
      cache.clear();
      assertThat(cache.get("greeting")).isNull();

      assertThat(sql.find(sqlToken, CLIENT)).isPresent();
      assertThat(cacheBacked.find(cacheBackedToken, CLIENT)).isPresent();
      assertThat(logins.tryAcquire("10.0.0.3").allowed()).isTrue();
      assertThat(logins.tryAcquire("10.0.0.3").allowed()).isFalse();
    }
  }

  @Test
  void aCacheOnAnotherSpacesTableIsRefused() {
    String url = "jdbc:sqlite:" + directory.resolve("app.db");
    assertThatThrownBy(() -> Caches.open(url + "?table=hoard_session_entries"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table 'hoard_session_entries' for caches is where Hoard keeps"
            + " sessions");
  }

  private static String signIn(SessionManager sessions) {
    Session session = sessions.open(null, CLIENT);
    session.bindUser("carol");
    return sessions.save(session);
  }
}
