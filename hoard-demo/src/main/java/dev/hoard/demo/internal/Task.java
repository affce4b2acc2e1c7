package dev.hoard.demo.internal;

import java.time.Instant;

/**
 * One to-do item of one user.
 *
 * @param id the database id
 * @param userId its owner
 * @param title a short text, required
 * @param description longer text, possibly empty
 * @param completed whether it is done
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
record Task(
    long id,
    long userId,
    String title,
    String description,
    boolean completed,
    Instant createdAt,
    Instant updatedAt) {}
