package dev.hoard.ratelimit.spi;

/**
 * What a {@link GcraStep} decided.
 *
 * @param allowed whether the permits were granted (and the new TAT stored)
 * @param tatMicros the TAT after the step: the new one when allowed, the unchanged one (never
 *     earlier than now) when refused
 */
public record GcraOutcome(boolean allowed, long tatMicros) {}
