/**
 * Micrometer {@code MeterBinder}s for caches and rate limiters. Micrometer is an optional
 * dependency of hoard-core: these classes load only in applications that have it.
 */
package dev.hoard.metrics;
