package dev.hoard.demo.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code /api/tasks}: the signed-in user's tasks, read through the cache. */
final class TaskApi {

  private static final int MAX_TITLE = 200;
  private static final int MAX_DESCRIPTION = 4000;
  private static final int MAX_QUERY = 100;

  /** The body of {@code POST}, {@code PUT} (all fields) and {@code PATCH} (any of them). */
  record TaskFields(String title, String description, Boolean completed) {}

  private final TodoStore store;
  private final AccountApi accounts;

  TaskApi(TodoStore store, AccountApi accounts) {
    this.store = store;
    this.accounts = accounts;
  }

  void register(Routes routes) {
    routes.get("/api/tasks", this::list)
        .post("/api/tasks", this::create)
        // Before /api/tasks/{id}, which would take "search" for an id.
        .get("/api/tasks/search", this::search)
        .get("/api/tasks/{id}", this::read)
        .put("/api/tasks/{id}", exchange -> update(exchange, true))
        .patch("/api/tasks/{id}", exchange -> update(exchange, false))
        .delete("/api/tasks/{id}", this::delete);
  }

  private Object list(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    String completed = exchange.query("completed");
    List<Task> tasks = store.tasksOf(user.id());
    if (completed != null) {
      boolean wanted = parseBoolean("completed", completed);
      tasks = tasks.stream().filter(task -> task.completed() == wanted).toList();
    }
    return Map.of("tasks", tasks, "count", tasks.size());
  }

  private Object search(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    String query = exchange.query("q");
    if (query == null || query.isBlank() || query.length() > MAX_QUERY) {
      throw ApiException.invalid("q", "q must be 1 to " + MAX_QUERY + " characters of text to"
          + " find in titles and descriptions");
    }
    List<Task> tasks = store.search(user.id(), query.strip());
    return Map.of("tasks", tasks, "count", tasks.size(), "query", query.strip());
  }

  private Object create(Exchange exchange) throws IOException {
    User user = accounts.signedIn(exchange);
    TaskFields fields = exchange.body(TaskFields.class);
    String title = title(fields.title(), true);
    String description = description(fields.description());
    Task task = store.create(user.id(), title, description == null ? "" : description,
        Boolean.TRUE.equals(fields.completed()));
    return Reply.created(Map.of("task", task));
  }

  private Object read(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    long id = exchange.id("id");
    return Map.of("task", store.task(user.id(), id).orElseThrow(() -> missing(id)));
  }

  private Object update(Exchange exchange, boolean replace) throws IOException {
    User user = accounts.signedIn(exchange);
    long id = exchange.id("id");
    TaskFields fields = exchange.body(TaskFields.class);
    Task current = store.task(user.id(), id).orElseThrow(() -> missing(id));
    String title = title(fields.title(), replace);
    String description = description(fields.description());
    Task changed = replace
        ? new Task(id, user.id(), title, description == null ? "" : description,
            Boolean.TRUE.equals(fields.completed()), current.createdAt(), current.updatedAt())
        : new Task(id, user.id(),
            title != null ? title : current.title(),
            description != null ? description : current.description(),
            fields.completed() != null ? fields.completed() : current.completed(),
            current.createdAt(), current.updatedAt());
    return Map.of("task", store.update(changed).orElseThrow(() -> missing(id)));
  }

  private Object delete(Exchange exchange) {
    User user = accounts.signedIn(exchange);
    long id = exchange.id("id");
    if (!store.delete(user.id(), id)) {
      throw missing(id);
    }
    return Reply.noContent();
  }

  private static String title(String value, boolean required) {
    if (value == null) {
      if (required) {
        throw ApiException.invalid("title", "title is required");
      }
      return null;
    }
    String title = value.strip();
    if (title.isEmpty() || title.length() > MAX_TITLE) {
      throw ApiException.invalid("title", "title must be 1 to " + MAX_TITLE
          + " characters (not only spaces)");
    }
    return title;
  }

  private static String description(String value) {
    if (value != null && value.length() > MAX_DESCRIPTION) {
      throw ApiException.invalid("description", "description must be at most " + MAX_DESCRIPTION
          + " characters, was " + value.length());
    }
    return value;
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.invalid(name, name + " must be true or false, was '" + value
          + "'");
    };
  }

  private static ApiException missing(long id) {
    return ApiException.notFound("you have no task " + id);
  }
}
