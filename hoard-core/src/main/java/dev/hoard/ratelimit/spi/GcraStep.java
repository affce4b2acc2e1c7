package dev.hoard.ratelimit.spi;

/**
 * One request against a token bucket kept as a GCRA "theoretical arrival time" (TAT), in
 * microseconds of the limiter's clock. A store with {@link
 * dev.hoard.cache.spi.StoreCapability#GCRA} applies it atomically ({@link
 * dev.hoard.cache.spi.CacheStore#gcra}): it reads the
 * stored TAT, calls {@link #applyTo}, and when the outcome is allowed stores the new TAT for
 * {@link #ttlMillis} milliseconds (after which the bucket is full again, the same as no state).
 * Scripts on remote servers implement the same arithmetic; this method is its definition.
 *
 * @param nowMicros the current time
 * @param intervalMicros the time one permit takes to refill (period / limit)
 * @param toleranceMicros how far the TAT may run ahead of now: burst × interval
 * @param permits how many permits the request takes, at least 1
 */
public record GcraStep(long nowMicros, long intervalMicros, long toleranceMicros, long permits) {

  /** Passed to {@link #applyTo} when the store holds no state for the key. */
  public static final long NO_STATE = Long.MIN_VALUE;

  /** Checks the parts. */
  public GcraStep {
    if (intervalMicros <= 0 || toleranceMicros < intervalMicros || permits <= 0) {
      throw new IllegalArgumentException(
          "a GCRA step needs interval > 0, tolerance >= interval and permits > 0, was interval "
              + intervalMicros + ", tolerance " + toleranceMicros + ", permits " + permits);
    }
  }

  /** The outcome for a stored TAT, or for {@link #NO_STATE}. Pure; stores call it under a lock. */
  public GcraOutcome applyTo(long storedTatMicros) {
    long tat = Math.max(storedTatMicros, nowMicros);
    long next = tat + permits * intervalMicros;
    if (next - nowMicros > toleranceMicros) {
      return new GcraOutcome(false, tat);
    }
    return new GcraOutcome(true, next);
  }

  /** How long a stored TAT must be kept: until it falls back to now, rounded up to a millisecond. */
  public long ttlMillis(long tatMicros) {
    return Math.max(1, -Math.floorDiv(nowMicros - tatMicros, 1000));
  }
}
