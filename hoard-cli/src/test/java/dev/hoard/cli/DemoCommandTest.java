package dev.hoard.cli;

import static dev.hoard.cli.Run.hoard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hoard demo}: starts the service and says where, or fails with a clear status. */
class DemoCommandTest {

  @TempDir Path data;

  @Test
  void servesUntilInterruptedAndPrintsWhere() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Environment environment =
        new Environment(new PrintWriter(out), new PrintWriter(err), Map.of(), false, false);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command = new Thread(() -> exit.set(Hoard.run(
        new String[] {"demo", "--port", "0", "--data", data.toString()}, environment)));
    command.start();
    Pattern running = Pattern.compile("running at (http://127\\.0\\.0\\.1:\\d+/)");
    // The banner is printed line by line while this thread reads: wait for its last line.
    await().atMost(Duration.ofMinutes(1)).until(() -> out.toString().contains("Press Ctrl-C"));
    Matcher url = running.matcher(out.toString());
    assertThat(url.find()).isTrue();
    assertThat(out.toString()).contains("sessions   jdbc:sqlite:" + data.resolve("sessions.db"))
        .contains("cache      memory://");

    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url.group(1)).resolve("/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(data.resolve("todo.db")).exists();

    command.interrupt();
    command.join(Duration.ofSeconds(30).toMillis());
    assertThat(command.isAlive()).isFalse();
    try (ServerSocket again = new ServerSocket(
        URI.create(url.group(1)).getPort(), 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.isBound()).as("the port is free after the demo stopped").isTrue();
    }
  }

  @Test
  void aBadCacheUrlIsAUsageError() {
    Run run = hoard("demo", "--port", "0", "--data", data.toString(), "--cache-url", "bogus://x");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.firstErrorLine()).startsWith("hoard: unknown cache URL scheme 'bogus'");
  }

  @Test
  void aTakenPortFailsSayingWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Run run = hoard("demo", "--port", Integer.toString(taken.getLocalPort()), "--data",
          data.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.firstErrorLine()).contains("choose another with --port");
    }
  }
}
