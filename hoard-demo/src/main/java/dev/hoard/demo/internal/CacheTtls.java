package dev.hoard.demo.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each kind of cached entry lives.
 *
 * @param profile user profiles
 * @param taskList a user's task list
 * @param task one task
 * @param search one task search's results
 */
public record CacheTtls(Duration profile, Duration taskList, Duration task, Duration search) {

  /** Checks that every TTL is given. */
  public CacheTtls {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(taskList, "taskList");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(search, "search");
  }
}
