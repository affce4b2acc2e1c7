package dev.hoard.demo.internal;

import java.time.Instant;

/**
 * A registered user as the API shows and the cache keeps it: never the password hash.
 *
 * @param id the database id
 * @param username unique, compared without case
 * @param email optional contact address
 * @param role {@code admin} (the first user registered) or {@code user}
 * @param createdAt when the user registered
 */
record User(long id, String username, String email, String role, Instant createdAt) {

  static final String ADMIN = "admin";
  static final String MEMBER = "user";

  boolean isAdmin() {
    return ADMIN.equals(role);
  }
}
