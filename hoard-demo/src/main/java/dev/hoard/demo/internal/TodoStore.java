package dev.hoard.demo.internal;

import dev.hoard.cache.Cache;
import dev.hoard.cache.TypeRef;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
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

  static final String USERS = "users";
  static final String TASKS = "tasks";

  private static final TypeRef<List<Task>> TASK_LIST = new TypeRef<>() {};

  private final Users users;
  private final Tasks tasks;
  private final Cache userCache;
  private final Cache taskCache;
  private final Timer userReads;
  private final Timer taskReads;
  private final CacheTtls ttls;

  /**
   * @param userReads times every cached user read, hit or load
   * @param taskReads times every cached task read, hit or load
   * @param ttls how long each kind stays cached
   */
  TodoStore(
      Users users, Tasks tasks, Cache userCache, Cache taskCache, Timer userReads,
      Timer taskReads, CacheTtls ttls) {
    this.ttls = ttls;
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
        .remember("profile", User.class, ttls.profile(), () -> users.find(id).orElse(null))));
  }

  /** Sets the user's password hash; the profile cache holds no hash, so nothing is dropped. */
  boolean changePassword(long id, String passwordHash) {
    return users.changePassword(id, passwordHash);
  }

  /** Sets the user's email and drops everything cached for the user. */
  Optional<User> changeEmail(long id, String email) {
    if (!users.changeEmail(id, email)) {
      return Optional.empty();
    }
    invalidateUser(id);
    return user(id);
  }

  List<Long> userIds() {
    return users.ids();
  }

  // ---- tasks

  List<Task> tasksOf(long userId) {
    return timed(taskReads, () -> taskViews(userId)
        .remember("list", TASK_LIST, ttls.taskList(), () -> tasks.of(userId)));
  }

  /**
   * The user's tasks containing {@code text}, cached per user and text until one of the user's
   * tasks is written (the {@code search:user:<id>} tag) or the search TTL passes.
   */
  List<Task> search(long userId, String text) {
    return timed(taskReads, () -> searches(userId).remember(
        "search:" + digest(text.toLowerCase(Locale.ROOT)), TASK_LIST, ttls.search(),
        () -> tasks.search(userId, text)));
  }

  /** The user's task; empty when there is none or another user owns it. */
  Optional<Task> task(long userId, long id) {
    return Optional.ofNullable(timed(taskReads, () -> taskViews(userId).remember(
        "task:" + id, Task.class, ttls.task(),
        () -> tasks.find(id).filter(task -> task.userId() == userId).orElse(null))));
  }

  Task create(long userId, String title, String description, boolean completed) {
    Task task = tasks.create(userId, title, description, completed);
    taskViews(userId).delete("list");
    taskCache.invalidateTags(searchTag(userId));
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
    taskCache.invalidateTags(searchTag(userId));
  }

  private Cache profiles(long userId) {
    return userCache.tagged(USERS, userTag(userId));
  }

  private Cache taskViews(long userId) {
    return taskCache.tagged(TASKS, userTag(userId));
  }

  private Cache searches(long userId) {
    return taskCache.tagged(TASKS, userTag(userId), searchTag(userId));
  }

  private static String userTag(long userId) {
    return "user:" + userId;
  }

  private static String searchTag(long userId) {
    return "search:user:" + userId;
  }

  /** A key part for any text: fixed length, and only characters every store takes in a key. */
  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static <T> T timed(Timer timer, Supplier<T> read) {
    return timer.record(read);
  }
}
