package dev.hoard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code hoard proxy} as a command: its options, its banner, and stopping it. */
class ProxyCommandTest {

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    Run notHttp = Run.hoard("proxy", "--to", "ftp://origin");
    Run badSize = Run.hoard("proxy", "--to", "http://127.0.0.1:1", "--max-body", "lots");
    Run badTtl = Run.hoard("proxy", "--to", "http://127.0.0.1:1", "--default-ttl", "soon");
    Run missing = Run.hoard("proxy");

    assertThat(notHttp.exitCode()).as(notHttp.toString()).isEqualTo(Hoard.USAGE);
    assertThat(notHttp.firstErrorLine()).contains("--to");
    assertThat(badSize.exitCode()).isEqualTo(Hoard.USAGE);
    assertThat(badSize.firstErrorLine()).contains("--max-body");
    assertThat(badTtl.exitCode()).isEqualTo(Hoard.USAGE);
    assertThat(badTtl.firstErrorLine()).contains("--default-ttl");
    assertThat(missing.exitCode()).isEqualTo(Hoard.USAGE);
  }

  @Test
  void sizesReadBinaryMultiples() {
    assertThat(ProxyCommand.bytes("1MiB")).isEqualTo(1 << 20);
    assertThat(ProxyCommand.bytes("512k")).isEqualTo(512 << 10);
    assertThat(ProxyCommand.bytes("1048576")).isEqualTo(1 << 20);
  }

  @Test
  void runsUntilInterruptedAndAnswersThroughTheOrigin() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    // The origin is the proxy's own /metrics: no other server needed to see a real round trip.
    Thread running = new Thread(() -> exit.set(Hoard.run(new String[] {"proxy", "--to",
        "http://127.0.0.1:9", "--port", "0", "--quiet"},
        new Environment(new PrintWriter(out), new PrintWriter(err), Map.of(), false, false))));
    running.start();
    Pattern banner = Pattern.compile("Hoard proxy at (http://\\S+) ");
    await().until(() -> banner.matcher(snapshot(out)).find());
    Matcher m = banner.matcher(snapshot(out));
    assertThat(m.find()).isTrue();
    URI uri = URI.create(m.group(1));

    HttpResponse<String> metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unreachable = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(uri.resolve("/page")).build(),
        HttpResponse.BodyHandlers.ofString());
    running.interrupt();
    running.join(10_000);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(unreachable.statusCode()).isEqualTo(502);
    assertThat(exit.get()).as(err.toString()).isEqualTo(Hoard.OK);
  }

  private static String snapshot(StringWriter out) {
    synchronized (out.getBuffer()) {
      return out.toString();
    }
  }
}
