package dev.hoard.cli;

import static dev.hoard.cli.Run.hoard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache commands against a file store, which keeps entries from one run to the next. */
class FileStoreCommandsTest {

  @TempDir Path directory;

  private String url;

  @BeforeEach
  void url() {
    url = "file://" + directory.toAbsolutePath();
  }

  @Test
  void putThenGetReadsTheValueBack() {
    Run put = hoard("cache", "put", "--url", url, "greeting", "hello, wörld");
    Run asJson = hoard("cache", "get", "--url", url, "greeting");
    Run asText = hoard("cache", "get", "--url", url, "greeting", "--type", "string");

    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(asJson.out()).isEqualTo("\"hello, wörld\"\n");
    assertThat(asText.out()).isEqualTo("hello, wörld\n");
  }

  @Test
  void jsonValuesRoundTrip() {
    String user = "{\"name\":\"Ada\",\"roles\":[\"admin\"],\"age\":36}";
    hoard("cache", "put", "--url", url, "user:1", user, "--json");

    Run get = hoard("cache", "get", "--url", url, "user:1");
    Run asText = hoard("cache", "get", "--url", url, "user:1", "--type", "string");

    assertThat(get.out()).isEqualTo(user + "\n");
    assertThat(asText.exitCode()).as(asText.toString()).isEqualTo(1);
    assertThat(asText.err()).contains("a JSON object").contains("--type json");
  }

  @Test
  void ttlSetsTheExpiry() {
    hoard("cache", "put", "--url", url, "short", "x", "--ttl", "10m");

    Run get = hoard("cache", "get", "--url", url, "short");

    assertThat(get.exitCode()).as(get.toString()).isZero();
  }

  @Test
  void keysListsMatchingKeysUpToTheLimit() {
    for (String key : new String[] {"user:1", "user:2", "user:3", "post:1"}) {
      hoard("cache", "put", "--url", url, key, "v");
    }

    Run users = hoard("cache", "keys", "--url", url, "user:*");
    Run all = hoard("cache", "keys", "--url", url);
    Run limited = hoard("cache", "keys", "--url", url, "user:*", "--limit", "2");

    assertThat(users.out().lines().sorted()).containsExactly("user:1", "user:2", "user:3");
    assertThat(all.out().lines()).hasSize(4);
    assertThat(limited.exitCode()).as(limited.toString()).isZero();
    assertThat(limited.out().lines()).hasSize(2);
    assertThat(limited.err()).contains("stopped after 2 keys");
  }

  @Test
  void forgetRemovesOneEntry() {
    hoard("cache", "put", "--url", url, "a", "1");
    hoard("cache", "put", "--url", url, "b", "2");

    Run forget = hoard("cache", "forget", "--url", url, "a");

    assertThat(forget.out()).isEqualTo("forgot 'a'\n");
    assertThat(hoard("cache", "get", "--url", url, "a").exitCode()).isEqualTo(1);
    assertThat(hoard("cache", "get", "--url", url, "b").exitCode()).isZero();
  }

  @Test
  void clearRemovesEverything() {
    hoard("cache", "put", "--url", url, "a", "1");
    hoard("cache", "put", "--url", url, "b", "2");

    Run clear = hoard("cache", "clear", "--url", url, "--yes");

    assertThat(clear.exitCode()).as(clear.toString()).isZero();
    assertThat(hoard("cache", "keys", "--url", url).out()).isEmpty();
  }

  @Test
  void statsCountsTheEntries() {
    hoard("cache", "put", "--url", url, "a", "1");
    hoard("cache", "put", "--url", url, "b", "2");

    Run stats = hoard("cache", "stats", "--url", url);

    assertThat(stats.exitCode()).as(stats.toString()).isZero();
    assertThat(stats.out()).contains("entries:      2 (counted by listing every key");
    assertThat(stats.err()).as("no progress line outside a terminal").isEmpty();
  }

  @Test
  void statsShowsItsCountingOnATerminalAndErasesIt() {
    hoard("cache", "put", "--url", url, "a", "1");
    hoard("cache", "put", "--url", url, "b", "2");

    Run stats = Run.onTerminal("cache", "stats", "--url", url);

    assertThat(stats.exitCode()).as(stats.toString()).isZero();
    assertThat(stats.err()).startsWith("\rcounting keys… 1").endsWith("\r");
    String lastDrawn = stats.err().substring(stats.err().lastIndexOf("\r", stats.err().length() - 2));
    assertThat(lastDrawn).as("the line is blanked at the end").isBlank();
    assertThat(stats.out()).contains("entries:      2 (counted by listing every key");
  }

  @Test
  void configDescribesAPersistentStore() {
    Run config = hoard("cache", "config", "--url", url);

    assertThat(config.exitCode()).as(config.toString()).isZero();
    assertThat(config.out()).contains("PERSISTENT").contains("codec:        json");
  }

  @Test
  void cacheTestPassesAndLeavesNothingBehind() {
    hoard("cache", "put", "--url", url, "mine", "keep me");

    Run test = hoard("cache", "test", "--url", url);

    assertThat(test.exitCode()).as(test.toString()).isZero();
    assertThat(test.out()).endsWith("13 passed, 0 failed, 0 skipped\n");
    assertThat(hoard("cache", "keys", "--url", url).out()).isEqualTo("mine\n");
    assertThat(hoard("cache", "get", "--url", url, "mine").out()).isEqualTo("\"keep me\"\n");
  }
}
