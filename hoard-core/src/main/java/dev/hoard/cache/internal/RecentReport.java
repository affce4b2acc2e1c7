package dev.hoard.cache.internal;

import dev.hoard.cache.StoreReport;
import dev.hoard.cache.spi.CacheStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last {@link StoreReport} of a store, asked for again once it is older than {@link
 * StoreReport#FRESHNESS} on the store's clock: dashboards and metric scrapes may ask every
 * second, the servers are asked at most once per period whoever asks.
 */
final class RecentReport {

  private static final Logger log = LoggerFactory.getLogger(RecentReport.class);

  private final CacheStore store;
  private final long freshnessMillis = StoreReport.FRESHNESS.toMillis();
  private StoreReport report = StoreReport.EMPTY;
  private long askedAt;
  private boolean asked;

  RecentReport(CacheStore store) {
    this.store = store;
  }

  /** The last report, asking the store first when it is stale; never fails. */
  synchronized StoreReport get() {
    long now = store.clock().millis();
    if (asked && now - askedAt < freshnessMillis) {
      return report;
    }
    // Stamped before asking, so a failing server is asked once per period, not on every call.
    asked = true;
    askedAt = now;
    try {
      report = store.report();
    } catch (RuntimeException e) {
      log.debug("{} did not report: {}", store, e.toString());
    }
    return report;
  }
}
