package dev.hoard.session.spi;

/** An exclusive lease on one session from {@link SessionStore#tryLock}; closing releases it. */
public interface SessionLease extends AutoCloseable {

  /** Releases the lease if this holder still has it; a lease that timed out is left alone. */
  @Override
  void close();
}
