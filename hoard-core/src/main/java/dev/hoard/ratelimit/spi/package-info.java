/**
 * What a store implements to run a token bucket atomically: {@link
 * dev.hoard.ratelimit.spi.GcraStore}, with {@link dev.hoard.ratelimit.spi.GcraStep} as the
 * definition of one step.
 */
package dev.hoard.ratelimit.spi;
