package dev.hoard.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (installed into
 * {@code src/test/browser} with {@code npm ci}). The page must load, draw, follow requests made
 * while it is open, and log no console errors. Its screenshot is left in {@code
 * target/dashboard.png}.
 */
class DashboardBrowserIT {

  private static final Path BROWSER_DIR = Path.of("src/test/browser");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOT = Path.of("target/dashboard.png");
  private static final String PASSWORD = "correct horse battery";

  @TempDir static Path data;

  private static TodoDemo demo;

  @BeforeAll
  static void start() throws Exception {
    assertThat(CHROMIUM)
        .as("Debian's chromium is needed; scripts/services installs it (apt-get install chromium)")
        .isExecutable();
    installPlaywright();
    // A low login limit, so the refused logins below show on the page.
    demo = TodoDemo.builder().port(0).dataDirectory(data).loginLimit(3, Duration.ofMinutes(1))
        .start();
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void drawsLiveChartsThatFollowTheTraffic() throws Exception {
    Files.deleteIfExists(SCREENSHOT);
    Process node = new ProcessBuilder(
        "node", "dashboard-check.mjs", demo.uri().toString(), SCREENSHOT.toAbsolutePath().toString())
        .directory(BROWSER_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
          lines.add(line);
        }
      } catch (IOException e) {
        output.add("reading the script's output failed: " + e);
      }
    }, "dashboard-check-output");
    reader.start();
    try {
      String ready = awaitLine(lines, "READY ", output);
      JsonNode before = ApiClient.JSON.readTree(ready.substring("READY ".length()));
      assertThat(before.get("points").asInt()).isGreaterThanOrEqualTo(2);

      // Traffic the page must show: a session, cache hits on tasks, refused logins.
      ApiClient user = ApiClient.withCookies(demo.uri());
      user.signUp("watcher", PASSWORD);
      user.post("/api/tasks", Map.of("title", "look at the dashboard"));
      for (int i = 0; i < 3; i++) {
        user.get("/api/tasks");
      }
      ApiClient attacker = ApiClient.withCookies(demo.uri());
      for (int i = 0; i < 7; i++) {
        attacker.post("/api/auth/login", Map.of("username", "watcher", "password", "guess" + i));
      }

      String result = awaitLine(lines, "RESULT ", output);
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
      JsonNode report = ApiClient.JSON.readTree(result.substring("RESULT ".length()));
      assertThat(report.get("problems")).as("problems in %s", output).isEmpty();
      assertThat(node.exitValue()).as("exit status; output: %s", output).isZero();
      assertThat(report.at("/after/taskHits").asLong())
          .isGreaterThan(report.at("/before/taskHits").asLong());
      assertThat(report.at("/after/rejections").asLong()).isPositive();
      assertThat(SCREENSHOT).isRegularFile();
      assertThat(Files.size(SCREENSHOT)).as("a screenshot with content").isGreaterThan(20_000);
    } finally {
      node.destroyForcibly();
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix, List<String> output)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
    }
    return fail("the dashboard script printed no '%s' line within 120 s; output: %s", prefix, output);
  }

  /** Runs {@code npm ci} unless node_modules already matches package-lock.json. */
  private static void installPlaywright() throws IOException, InterruptedException {
    Path lock = BROWSER_DIR.resolve("package-lock.json");
    Path installed = BROWSER_DIR.resolve("node_modules/.package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0
        && Files.exists(BROWSER_DIR.resolve("node_modules/playwright-core/package.json"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
        .directory(BROWSER_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      fail("npm ci in " + BROWSER_DIR.toAbsolutePath() + " failed:\n" + log);
    }
    Files.setLastModifiedTime(installed, FileTime.fromMillis(System.currentTimeMillis()));
  }
}
