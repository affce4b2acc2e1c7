package dev.hoard.demo.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's routes: a method and a path template such as {@code /api/tasks/{id}}, matched segment
 * by segment. A path that matches no template is a 404; one that matches under another method is
 * a 405 that lists the methods it takes.
 */
final class Routes {

  /** Answers one request; the returned value is written as JSON (a {@link Reply} sets the status). */
  @FunctionalInterface
  interface Handler {
    Object handle(Exchange exchange) throws IOException;
  }

  /** A matched route: its template (for metrics), its handler and the path's variables. */
  record Match(String template, Handler handler, Map<String, String> variables) {}

  private record Route(String method, String template, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  Routes get(String template, Handler handler) {
    return add("GET", template, handler);
  }

  Routes post(String template, Handler handler) {
    return add("POST", template, handler);
  }

  Routes put(String template, Handler handler) {
    return add("PUT", template, handler);
  }

  Routes patch(String template, Handler handler) {
    return add("PATCH", template, handler);
  }

  Routes delete(String template, Handler handler) {
    return add("DELETE", template, handler);
  }

  private Routes add(String method, String template, Handler handler) {
    routes.add(new Route(method, template, split(template), handler));
    return this;
  }

  /** The route for the request; HEAD is answered by GET routes. */
  Match match(String method, String path) {
    String[] segments = split(path);
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> variables = variables(route.segments, segments);
      if (variables == null) {
        continue;
      }
      if (route.method.equals(method) || (method.equals("HEAD") && route.method.equals("GET"))) {
        return new Match(route.template, route.handler, variables);
      }
      allowed.add(route.method);
    }
    if (allowed.isEmpty()) {
      throw ApiException.notFound("no endpoint at " + path + "; GET / shows the dashboard and"
          + " the README lists the API");
    }
    throw ApiException.methodNotAllowed(
        method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
  }

  private static Map<String, String> variables(String[] template, String[] path) {
    if (template.length != path.length) {
      return null;
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < template.length; i++) {
      String part = template[i];
      if (part.startsWith("{") && part.endsWith("}")) {
        variables.put(part.substring(1, part.length() - 1), path[i]);
      } else if (!part.equals(path[i])) {
        return null;
      }
    }
    return variables;
  }

  private static String[] split(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
  }
}
