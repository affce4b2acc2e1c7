package dev.hoard.cache.resilience;

/** Where a store's circuit breaker stands; exposed for health checks and dashboards. */
public enum CircuitState {
  /** The store answers; every call goes to it. */
  CLOSED,
  /** The store failed too often; calls skip it until the cool-down has passed. */
  OPEN,
  /** The cool-down has passed and one trial call is finding out whether the store is back. */
  HALF_OPEN
}
