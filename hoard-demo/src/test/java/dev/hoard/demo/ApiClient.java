package dev.hoard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of the running demo over java.net.http: JSON in and out, with a cookie jar (like a
 * browser) or without one, sending extra headers such as {@code X-Session-ID} on every request.
 * After a login it sends the session's CSRF token on unsafe requests, as the dashboard's users
 * would, unless told not to.
 */
final class ApiClient {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, headers and the body parsed as JSON (null when empty or not JSON). */
  record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String text() {
      return raw.body();
    }
  }

  private final URI base;
  private final HttpClient http;
  private final boolean cookies;
  private final List<String> headers = new ArrayList<>();
  private String csrfToken;
  private boolean sendCsrf = true;

  private ApiClient(URI base, HttpClient http, boolean cookies) {
    this.base = base;
    this.http = http;
    this.cookies = cookies;
  }

  /** A client that keeps cookies, as a browser does. */
  static ApiClient withCookies(URI base) {
    return new ApiClient(base, HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5))
        .build(), true);
  }

  /** A client that ignores cookies: it can only authenticate with headers. */
  static ApiClient withoutCookies(URI base) {
    return new ApiClient(
        base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), false);
  }

  /** Sends this header on every later request. */
  ApiClient header(String name, String value) {
    headers.add(name);
    headers.add(value);
    return this;
  }

  /** Sends this CSRF token from now on, e.g. the one of a session the server renewed. */
  ApiClient csrfToken(String token) {
    csrfToken = token;
    return this;
  }

  /** Stops sending the CSRF token, to see what happens without it. */
  ApiClient withoutCsrfToken() {
    sendCsrf = false;
    return this;
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply delete(String path) {
    return send(unsafe(path).DELETE());
  }

  Reply post(String path, Object body) {
    return send(unsafe(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  Reply put(String path, Object body) {
    return send(unsafe(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  Reply patch(String path, Object body) {
    return send(unsafe(path).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
  }

  /** Sends a raw body with the given content type. */
  Reply postRaw(String path, String contentType, String body) {
    HttpRequest.Builder request = unsafe(path).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  /**
   * Registers a user and logs in; returns the session id from the {@code X-Session-ID} response
   * header, which a client without cookies asks for by sending {@code X-Session-ID: new}.
   */
  String signUp(String username, String password) {
    Reply registered = post("/api/auth/register", Map.of("username", username, "password", password));
    if (registered.status() != 201) {
      throw new AssertionError("register " + username + " answered " + registered.status() + " "
          + registered.text());
    }
    return login(username, password);
  }

  String login(String username, String password) {
    HttpRequest.Builder request = unsafe("/api/auth/login")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            json(Map.of("username", username, "password", password))));
    if (!cookies && !headers.contains("X-Session-ID") && !headers.contains("Authorization")) {
      request.header("X-Session-ID", "new");
    }
    Reply login = send(request);
    if (login.status() != 200) {
      throw new AssertionError("login " + username + " answered " + login.status() + " "
          + login.text());
    }
    csrfToken = login.json().get("csrf_token").asText();
    return login.header("X-Session-ID");
  }

  private HttpRequest.Builder unsafe(String path) {
    HttpRequest.Builder request = request(path);
    if (csrfToken != null && sendCsrf) {
      request.header("X-CSRF-Token", csrfToken);
    }
    return request;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.size(); i += 2) {
      request.header(headers.get(i), headers.get(i + 1));
    }
    return request;
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json") && !response.body().isEmpty()) {
        json = JSON.readTree(response.body());
      }
      return new Reply(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
