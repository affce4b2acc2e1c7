package dev.hoard.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.servlet.CacheStrategy.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure decision: a stored response, the client's directives and a moment, no server. */
class CacheStrategyTest {

  private static final CachePolicy POLICY =
      new CachePolicy(Set.of(200), 86_400_000, 3_600_000, false);
  private static final long T0 = 1_700_000_000_000L;

  /** A response stored at T0, fetched instantly, with these header lines (name, value, ...). */
  private static CachedResponse stored(String... headers) {
    List<Header> lines = new ArrayList<>();
    lines.add(new Header("Date", HttpDates.format(T0)));
    for (int i = 0; i < headers.length; i += 2) {
      lines.add(new Header(headers[i], headers[i + 1]));
    }
    return CachedResponse.of(200, lines, new byte[] {1, 2}, 2, T0, T0, POLICY);
  }

  private static Action decide(String requestCacheControl, CachedResponse stored, long now) {
    CacheControl asked = CacheControl.parse(
        requestCacheControl == null ? List.of() : List.of(requestCacheControl));
    return CacheStrategy.decide(false, asked, stored, now).action();
  }

  @Test
  void freshIsServedStaleIsRevalidatedNothingIsForwarded() {
    CachedResponse response = stored("Cache-Control", "max-age=60", "ETag", "\"v1\"");

    assertThat(decide(null, response, T0 + 59_000)).isEqualTo(Action.SERVE);
    assertThat(decide(null, response, T0 + 61_000)).isEqualTo(Action.REVALIDATE);
    assertThat(decide(null, null, T0)).isEqualTo(Action.FORWARD);
  }

  @Test
  void clientDirectivesNarrowOrWidenWhatIsServed() {
    CachedResponse response = stored("Cache-Control", "max-age=60");

    assertThat(decide("no-cache", response, T0)).isEqualTo(Action.REVALIDATE);
    assertThat(decide("max-age=10", response, T0 + 11_000)).isEqualTo(Action.REVALIDATE);
    assertThat(decide("min-fresh=30", response, T0 + 31_000)).isEqualTo(Action.REVALIDATE);
    assertThat(decide("max-stale=10", response, T0 + 65_000)).isEqualTo(Action.SERVE_STALE);
    assertThat(decide("max-stale=10", response, T0 + 75_000)).isEqualTo(Action.REVALIDATE);
    assertThat(decide("max-stale", response, T0 + 999_000)).isEqualTo(Action.SERVE_STALE);
    assertThat(decide("only-if-cached", null, T0)).isEqualTo(Action.GATEWAY_TIMEOUT);
    assertThat(decide("only-if-cached", response, T0 + 61_000))
        .isEqualTo(Action.GATEWAY_TIMEOUT);
  }

  @Test
  void staleWhileRevalidateServesStaleAndRefreshesExceptForHeadAndMustRevalidate() {
    CachedResponse response = stored("Cache-Control", "max-age=60, stale-while-revalidate=30");
    CachedResponse strict = stored("Cache-Control",
        "max-age=60, stale-while-revalidate=30, must-revalidate");

    assertThat(decide(null, response, T0 + 80_000)).isEqualTo(Action.SERVE_STALE_AND_REVALIDATE);
    assertThat(decide(null, response, T0 + 91_000)).isEqualTo(Action.REVALIDATE);
    assertThat(CacheStrategy.decide(true, CacheControl.parse(List.of()), response, T0 + 80_000)
        .action()).isEqualTo(Action.SERVE_STALE);
    assertThat(decide("only-if-cached", response, T0 + 80_000)).isEqualTo(Action.SERVE_STALE);
    assertThat(decide(null, strict, T0 + 80_000)).isEqualTo(Action.REVALIDATE);
    assertThat(decide("max-stale", strict, T0 + 80_000)).isEqualTo(Action.REVALIDATE);
  }

  @Test
  void noCacheResponsesAlwaysRevalidate() {
    assertThat(decide(null, stored("Cache-Control", "max-age=60, no-cache", "ETag", "\"a\""), T0))
        .isEqualTo(Action.REVALIDATE);
  }

  @Test
  void conditionsCarryTheOriginsValidatorsButNeverAComputedEtag() {
    CachedResponse withOrigin = stored("Cache-Control", "max-age=1", "ETag", "\"v1\"",
        "Last-Modified", "Tue, 01 Dec 2020 10:00:00 GMT");
    CachedResponse withComputedEtag = stored("Cache-Control", "max-age=1");

    assertThat(CacheStrategy.conditions(withOrigin))
        .containsEntry("if-none-match", "\"v1\"")
        .containsEntry("if-modified-since", "Tue, 01 Dec 2020 10:00:00 GMT");
    assertThat(CacheStrategy.conditions(withComputedEtag)).isEmpty();
    assertThat(CacheStrategy.conditions(null)).isEmpty();
  }
}
