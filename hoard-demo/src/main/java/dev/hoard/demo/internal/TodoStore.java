package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.TypeRef;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Users and tasks, read cache-aside and invalidated on every write.
 *
 * <p>Each user's entries are written through a view tagged with the kind ({@code users} or {@code
 * tasks}) and the user ({@code user:<id>}), so clearing a kind or everything one user owns is one
 * tag invalidation on any store, Memcached included, and never a key scan.
 */
final class TodoStore {

  static final Duration PROFILE_TTL = Duration.ofHours(1);
  static final Duration TASK_LIST_TTL = Duration.ofMinutes(5);
  static final Duration TASK_TTL = Duration.ofMinutes(10);

  static final String USERS = "users";
  static final String TASKS = "tasks";

  private static final TypeRef<List<Task>> TASK_LIST = new TypeRef<>() {};

  private final Users users;
  private final Tasks tasks;
  private final Cache userCache;
  private final Cache taskCache;
  private final Timer userReads;
  private final Timer taskReads;

  /**
   * @param userReads times every cached user read, hit or load
   * @param taskReads times every cached task read, hit or load
   */
  TodoStore(
      Users users, Tasks tasks, Cache userCache, Cache taskCache, Timer userReads,
      Timer taskReads) {
    this.users = users;
    this.tasks = tasks;
    this.userCache = userCache;
    this.taskCache = taskCache;
    this.userReads = userReads;
    this.taskReads = taskReads;
  }

  // ---- users

  Optional<User> register(String username, String email, String passwordHash) {
    return users.create(username, email, passwordHash);
  }

  Optional<Users.Credentials> credentials(String username) {
    return users.credentials(username);
  }

  Optional<User> user(long id) {
    return Optional.ofNullable(timed(userReads, () -> profiles(id)
        .remember("profile", User.class, PROFILE_TTL, () -> users.find(id).orElse(null))));
  }

  List<Long> userIds() {
    return users.ids();
  }

  // ---- tasks

  List<Task> tasksOf(long userId) {
    return timed(taskReads, () -> taskViews(userId)
        .remember("list", TASK_LIST, TASK_LIST_TTL, () -> tasks.of(userId)));
  }

  /** The user's task; empty when there is none or another user owns it. */
  Optional<Task> task(long userId, long id) {
    return Optional.ofNullable(timed(taskReads, () -> taskViews(userId).remember(
        "task:" + id, Task.class, TASK_TTL,
        () -> tasks.find(id).filter(task -> task.userId() == userId).orElse(null))));
  }

  Task create(long userId, String title, String description, boolean completed) {
    Task task = tasks.create(userId, title, description, completed);
    taskViews(userId).delete("list");
    return task;
  }

  Optional<Task> update(Task changed) {
    Optional<Task> updated = tasks.update(changed);
    forget(changed.userId(), changed.id());
    return updated;
  }

  boolean delete(long userId, long id) {
    boolean deleted = tasks.delete(userId, id);
    forget(userId, id);
    return deleted;
  }

  // ---- invalidation

  /** Drops everything cached for the user: profile, task list and tasks. */
  void invalidateUser(long userId) {
    String tag = userTag(userId);
    userCache.invalidateTags(tag);
    taskCache.invalidateTags(tag);
  }

  /** Drops the cached task and its owner's list; returns the owner, empty when there is no such task. */
  Optional<Long> invalidateTask(long id) {
    Optional<Long> owner = tasks.find(id).map(Task::userId);
    owner.ifPresent(userId -> forget(userId, id));
    return owner;
  }

  /** Drops every cached user profile. */
  void clearUsers() {
    userCache.invalidateTags(USERS);
  }

  /** Drops every cached task and task list. */
  void clearTasks() {
    taskCache.invalidateTags(TASKS);
  }

  private void forget(long userId, long taskId) {
    Cache view = taskViews(userId);
    view.delete("task:" + taskId);
    view.delete("list");
  }

  private Cache profiles(long userId) {
    return userCache.tagged(USERS, userTag(userId));
  }

  private Cache taskViews(long userId) {
    return taskCache.tagged(TASKS, userTag(userId));
  }

  private static String userTag(long userId) {
    return "user:" + userId;
  }

  private static <T> T timed(Timer timer, Supplier<T> read) {
    return timer.record(read);
  }
}
