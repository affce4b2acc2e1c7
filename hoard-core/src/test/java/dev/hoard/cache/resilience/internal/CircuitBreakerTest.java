package dev.hoard.cache.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.resilience.CircuitBreakerSettings;
import dev.hoard.cache.resilience.CircuitState;
import dev.hoard.cache.resilience.internal.CircuitBreaker.Permit;
import dev.hoard.cache.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final ManualClock clock = new ManualClock();
  private final List<String> events = new ArrayList<>();
  private final CircuitBreaker.Transitions recorder = new CircuitBreaker.Transitions() {
    @Override
    public void opened(String reason, Throwable lastFailure) {
      events.add("opened: " + reason);
    }

    @Override
    public void trialFailed(Throwable failure) {
      events.add("trial failed");
    }

    @Override
    public void closed(String why) {
      events.add("closed");
    }
  };

  private CircuitBreaker breaker(CircuitBreakerSettings settings) {
    return new CircuitBreaker(settings, clock, recorder);
  }

  private static final RuntimeException DOWN = new RuntimeException("down");

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      breaker.failed(breaker.acquire(), DOWN, false);
    }
  }

  @Test
  void opensAfterTheConfiguredFailuresInARowAndOnlyThen() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults().consecutiveFailures(3));
    fail(breaker, 2);
    breaker.succeeded(breaker.acquire());
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.acquire()).isEqualTo(Permit.REJECTED);
    assertThat(events).containsExactly("opened: 3 failures in a row");
  }

  @Test
  void opensOnAFailureRateEvenWithoutAStreak() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(100).failureRate(0.5, 10, 50));
    for (int i = 0; i < 4; i++) {
      breaker.succeeded(breaker.acquire());
      fail(breaker, 1);
    }
    assertThat(breaker.state()).as("8 calls are below the minimum of 10")
        .isEqualTo(CircuitState.CLOSED);
    breaker.succeeded(breaker.acquire());
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(events).containsExactly("opened: 5 of the last 10 calls failed");
  }

  @Test
  void staysClosedBelowTheFailureRate() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(100).failureRate(0.5, 10, 50));
    for (int i = 0; i < 1000; i++) {
      Permit permit = breaker.acquire();
      if (i % 3 == 0) {
        breaker.failed(permit, DOWN, false);
      } else {
        breaker.succeeded(permit);
      }
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(events).isEmpty();
  }

  @Test
  void aNewOutageIsNotHiddenByALongHealthyPast() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(100).failureRate(0.5, 10, 50));
    for (int i = 0; i < 100_000; i++) {
      breaker.succeeded(breaker.acquire());
    }
    for (int i = 0; i < 20 && breaker.state() == CircuitState.CLOSED; i++) {
      breaker.succeeded(breaker.acquire());
      fail(breaker, 1);
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void coolDownThenExactlyOneTrialWhoseSuccessCloses() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofSeconds(10)));
    fail(breaker, 1);
    clock.advance(Duration.ofMillis(9_999));
    assertThat(breaker.acquire()).isEqualTo(Permit.REJECTED);
    clock.advance(Duration.ofMillis(1));
    Permit trial = breaker.acquire();
    assertThat(trial).isEqualTo(Permit.TRIAL);
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.acquire()).as("only one trial at a time").isEqualTo(Permit.REJECTED);
    breaker.succeeded(trial);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.acquire()).isEqualTo(Permit.CALL);
    assertThat(events).containsExactly("opened: 1 failures in a row", "closed");
  }

  @Test
  void aFailedTrialKeepsItOpenForAnotherFullCoolDown() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofSeconds(10)));
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(10));
    breaker.failed(breaker.acquire(), DOWN, false);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofSeconds(9));
    assertThat(breaker.acquire()).isEqualTo(Permit.REJECTED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.acquire()).isEqualTo(Permit.TRIAL);
    assertThat(events).containsExactly("opened: 1 failures in a row", "trial failed");
  }

  @Test
  void aBackgroundTrialThatTimedOutIsFollowedByTheNextAtOnce() {
    CircuitBreaker breaker = new CircuitBreaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofSeconds(10)), clock, recorder, true);
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(10));
    Permit trial = breaker.acquire();
    assertThat(trial).isEqualTo(Permit.TRIAL);
    breaker.failed(trial, DOWN, true);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.acquire()).as("a frozen server gets the next trial waiting on it")
        .isEqualTo(Permit.TRIAL);
    breaker.succeeded(Permit.TRIAL);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aTrialOnACallersThreadThatTimedOutWaitsAFullCoolDown() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofSeconds(10)));
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(10));
    breaker.failed(breaker.acquire(), DOWN, true);
    assertThat(breaker.acquire()).as("another request would wait a timeout")
        .isEqualTo(Permit.REJECTED);
  }

  @Test
  void lateAnswersOfCallsStartedBeforeTheOutageChangeNothing() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(2).coolDown(Duration.ofSeconds(1)));
    Permit slowCall = breaker.acquire();
    fail(breaker, 2);
    breaker.succeeded(slowCall);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofSeconds(1));
    Permit trial = breaker.acquire();
    Permit anotherSlowCall = Permit.CALL;
    breaker.failed(anotherSlowCall, DOWN, false);
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    breaker.succeeded(trial);
    assertThat(events).containsExactly("opened: 2 failures in a row", "closed");
  }

  @Test
  void aClockSetBackDoesNotKeepItOpen() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofMinutes(1)));
    fail(breaker, 1);
    clock.advance(Duration.ofHours(-1));
    assertThat(breaker.acquire()).isEqualTo(Permit.TRIAL);
  }

  @Test
  void aTimeoutWhileOtherCallsAreInFlightOpensAtOnce() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults().consecutiveFailures(5));
    Permit first = breaker.acquire();
    Permit second = breaker.acquire();
    Permit third = breaker.acquire();
    breaker.failed(first, DOWN, true);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.acquire()).as("no thread starts another call").isEqualTo(Permit.REJECTED);
    breaker.failed(second, DOWN, true);
    breaker.failed(third, DOWN, true);
    assertThat(events).containsExactly(
        "opened: a call timed out while others were waiting on the same server");
  }

  @Test
  void aLoneTimeoutCountsLikeAnyFailure() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults().consecutiveFailures(2));
    breaker.failed(breaker.acquire(), DOWN, true);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    breaker.failed(breaker.acquire(), DOWN, true);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void callsThatEndedOrWereAbandonedAreNoLongerInFlight() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults().consecutiveFailures(5));
    breaker.succeeded(breaker.acquire());
    breaker.abandoned(breaker.acquire());
    breaker.failed(breaker.acquire(), DOWN, false);
    breaker.failed(breaker.acquire(), DOWN, true);
    assertThat(breaker.state()).as("the timed-out call was alone").isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aReconnectClosesAtOnceWithoutWaitingForTheCoolDown() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofMinutes(1)));
    fail(breaker, 1);
    breaker.reconnected();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.acquire()).isEqualTo(Permit.CALL);
    breaker.reconnected();
    assertThat(events).containsExactly("opened: 1 failures in a row", "closed");
  }

  @Test
  void aTrialThatEndsAfterAReconnectChangesNothing() {
    CircuitBreaker breaker = breaker(CircuitBreakerSettings.defaults()
        .consecutiveFailures(1).coolDown(Duration.ofSeconds(1)));
    fail(breaker, 1);
    clock.advance(Duration.ofSeconds(1));
    Permit trial = breaker.acquire();
    breaker.reconnected();
    breaker.failed(trial, DOWN, true);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }
}
