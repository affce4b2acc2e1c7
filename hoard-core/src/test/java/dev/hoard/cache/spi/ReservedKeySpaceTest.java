package dev.hoard.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReservedKeySpaceTest {

  @Test
  void noDefaultPrefixContainsAnother() {
    for (ReservedKeySpace one : ReservedKeySpace.values()) {
      for (ReservedKeySpace other : ReservedKeySpace.values()) {
        if (one != other) {
          assertThat(other.defaultPrefix()).as("%s inside %s", other, one)
              .doesNotStartWith(one.defaultPrefix());
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ReservedKeySpace.class)
  void everyDefaultPrefixPassesItsOwnCheck(ReservedKeySpace space) {
    assertThat(space.checkPrefix(space.defaultPrefix(), "test")).isEqualTo(space.defaultPrefix());
    assertThat(space.checkPrefix(space.defaultPrefix() + "tenant7:", "test"))
        .isEqualTo(space.defaultPrefix() + "tenant7:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h", "hoard", "hoard:"})
  void aPrefixContainingTheSessionsIsRefusedForACache(String prefix) {
    assertThatThrownBy(() -> ReservedKeySpace.CACHE.checkPrefix(prefix, "redis://h/0?prefix=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix '" + prefix + "' for caches contains 'hoard:s:'")
        .hasMessageContaining("would delete the sessions")
        .hasMessageContaining("in redis://h/0?prefix=x");
  }

  @Test
  void aPrefixInsideAnotherSpaceIsRefusedNamingBoth() {
    assertThatThrownBy(() -> ReservedKeySpace.CACHE.checkPrefix("hoard:s:pages:", "url"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix 'hoard:s:pages:' for caches lies inside 'hoard:s:'")
        .hasMessageContaining("clearing the sessions would delete these caches")
        .hasMessageContaining("'app:c:'");
    assertThatThrownBy(() -> ReservedKeySpace.SESSIONS.checkPrefix("hoard:c:sessions:", "url"))
        .hasMessageContaining("prefix 'hoard:c:sessions:' for sessions lies inside 'hoard:c:'");
    assertThatThrownBy(() -> ReservedKeySpace.RATE_LIMITS.checkPrefix("hoard:c:limits:", "url"))
        .hasMessageContaining("lies inside 'hoard:c:'");
  }

  @Test
  void prefixesOfTheirOwnAreAccepted() {
    assertThat(ReservedKeySpace.CACHE.checkPrefix("app:", "url")).isEqualTo("app:");
    assertThat(ReservedKeySpace.SESSIONS.checkPrefix("hoard:session:", "url"))
        .isEqualTo("hoard:session:");
  }

  @Test
  void theUrlGivesThePrefixOrTheSpaceItsDefault() {
    StoreUrl url = StoreUrl.parse("redis://h:6379/0?prefix=app:");
    assertThat(ReservedKeySpace.RATE_LIMITS.prefixIn(url)).isEqualTo("app:");
    url.rejectUnknownParameters();
    assertThat(ReservedKeySpace.RATE_LIMITS.prefixIn(StoreUrl.parse("redis://h")))
        .isEqualTo("hoard:rl:");
    StoreUrl sessions = StoreUrl.parse("redis://h").forKeySpace(ReservedKeySpace.SESSIONS);
    assertThat(sessions.keySpace().prefixIn(sessions)).isEqualTo("hoard:s:");
    assertThat(StoreUrl.parse("redis://h").keySpace()).isEqualTo(ReservedKeySpace.CACHE);
  }
}
