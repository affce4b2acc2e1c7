/**
 * Micrometer {@code MeterBinder} for sessions. Micrometer is an optional dependency of
 * hoard-session: this package loads only in applications that have it.
 */
package dev.hoard.session.metrics;
