package dev.hoard.examples.spring;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The example application on a random port, and an HTTP client with its own cookie jar. */
final class RunningShop implements AutoCloseable {

  private static final Pattern CSRF_FIELD =
      Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

  final ConfigurableApplicationContext context;
  private final int port;

  private RunningShop(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  /** Starts the application with these properties over application.properties. */
  static RunningShop start(String... properties) {
    // As command-line arguments: properties given to the builder are only defaults.
    String[] arguments = new String[properties.length + 1];
    arguments[0] = "--server.port=0";
    for (int i = 0; i < properties.length; i++) {
      arguments[i + 1] = "--" + properties[i];
    }
    return new RunningShop(new SpringApplicationBuilder(BookshopApplication.class).run(arguments));
  }

  /** A client that keeps cookies, like a browser, and does not follow redirects. */
  static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(HttpClient client, String path, Map<String, String> form)
      throws IOException, InterruptedException {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return client.send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in through Spring Security's login form, CSRF token included. */
  HttpResponse<String> logIn(HttpClient client, String user, String password)
      throws IOException, InterruptedException {
    HttpResponse<String> page = get(client, "/login");
    Matcher csrf = CSRF_FIELD.matcher(page.body());
    if (!csrf.find()) {
      throw new AssertionError("no CSRF field in the login page: " + page.body());
    }
    return post(client, "/login",
        Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() {
    context.close();
  }
}
