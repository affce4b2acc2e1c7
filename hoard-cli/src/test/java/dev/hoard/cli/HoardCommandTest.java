package dev.hoard.cli;

import static dev.hoard.cli.Run.hoard;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Usage, help, exit codes and error messages of the {@code hoard} command, on memory stores. */
class HoardCommandTest {

  private static final String MEMORY = "memory://";

  @Test
  void helpListsTheCacheCommands() {
    Run run = hoard("cache", "--help");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Usage: hoard cache", "test", "config", "get", "put", "forget",
        "clear", "keys", "stats");
  }

  @Test
  void versionNamesTheProjectVersion() {
    Run run = hoard("--version");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("hoard 0.");
  }

  @Test
  void noCommandIsAUsageError() {
    Run run = hoard("cache");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("hoard: missing command (see 'hoard cache --help')\n");
  }

  @Test
  void unknownOptionIsAUsageErrorNamingIt() {
    Run run = hoard("cache", "get", "--url", MEMORY, "--colour", "red", "k");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("hoard: ").contains("'--colour'");
  }

  @Test
  void unknownCommandIsAUsageErrorNamingItWithASuggestion() {
    Run run = hoard("cache", "kees");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.firstErrorLine()).startsWith("hoard: ").contains("'kees'");
    assertThat(run.err()).contains("keys");
  }

  @Test
  void missingParameterIsAUsageErrorNamingIt() {
    Run run = hoard("cache", "put", "--url", MEMORY, "k");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.firstErrorLine()).contains("VALUE");
  }

  @Test
  void unknownSchemeIsAUsageErrorNamingTheScheme() {
    Run run = hoard("cache", "get", "--url", "nope://localhost", "k");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("hoard: ").contains("'nope'").contains("memory");
  }

  @Test
  void unknownUrlParameterIsAUsageErrorNamingIt() {
    Run run = hoard("cache", "stats", "--url", "memory://?maximumSize=10&colour=red");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("hoard: ").contains("colour");
  }

  @Test
  void errorsNeverShowThePassword() {
    Run failed = hoard("cache", "get", "--url", "nope://user:s3cret@host", "k");
    Run refused = hoard("cache", "clear", "--url", "nope://user:s3cret@host");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(2);
    assertThat(failed.err()).contains("nope://user:****@host").doesNotContain("s3cret");
    assertThat(refused.err()).contains("nope://user:****@host").doesNotContain("s3cret");
  }

  @Test
  void stackTracesOnlyWithVerbose() {
    Run quiet = hoard("cache", "get", "--url", "nope://", "k");
    Run verbose = hoard("cache", "get", "--url", "nope://", "k", "--verbose");

    assertThat(quiet.err()).doesNotContain("\tat ");
    assertThat(verbose.exitCode()).isEqualTo(2);
    assertThat(verbose.err()).contains("IllegalArgumentException").contains("\tat ");
  }

  @Test
  void badTtlIsAUsageErrorNamingTheOption() {
    Run run = hoard("cache", "put", "--url", MEMORY, "k", "v", "--ttl", "soon");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).startsWith("hoard: --ttl ").contains("'soon'");
  }

  @Test
  void badJsonIsAUsageError() {
    Run run = hoard("cache", "put", "--url", MEMORY, "k", "{oops", "--json");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("hoard: VALUE is not valid JSON");
  }

  @Test
  void getOfAMissingKeyFails() {
    Run run = hoard("cache", "get", "--url", MEMORY, "user:42");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("hoard: no entry for key 'user:42'\n");
  }

  @Test
  void theUrlComesFromTheOptionThenTheVariableThenTheDefault() {
    Map<String, String> variables = Map.of("HOARD_CACHE_URL", "memory://?maximumSize=5");

    Run fromVariable = hoard(variables, false, "cache", "config");
    Run fromOption = hoard(variables, false, "cache", "config", "--url", MEMORY);
    Run byDefault = hoard("cache", "clear");

    assertThat(fromVariable.out()).contains("memory://?maximumSize=5  (from HOARD_CACHE_URL)");
    assertThat(fromOption.out()).contains("memory://  (from --url)");
    assertThat(byDefault.err()).contains("file:./.hoard/cache");
  }

  @Test
  void configDescribesTheStore() {
    Run run = hoard("cache", "config", "--url", "memory://?copyValues=true&name=app&ttl=10m");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("store:        memory")
        .contains("capabilities: GCRA, KEY_SCAN, LOCKS, NON_BLOCKING\n")
        .contains("codec:        json")
        .contains("name:         app")
        .contains("default ttl:  10m")
        .containsPattern("schemes: .*memory");
  }

  @Test
  void clearNeedsYes() {
    Run refused = hoard("cache", "clear", "--url", MEMORY);
    Run cleared = hoard("cache", "clear", "--url", MEMORY, "--yes");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).contains("--yes");
    assertThat(cleared.exitCode()).as(cleared.toString()).isZero();
    assertThat(cleared.out()).isEqualTo("cleared memory://\n");
  }

  @Test
  void keysStatsPutAndForgetRunOnAMemoryStore() {
    assertThat(hoard("cache", "keys", "--url", MEMORY).out()).isEmpty();
    assertThat(hoard("cache", "stats", "--url", MEMORY).out()).contains("entries:      0");
    assertThat(hoard("cache", "put", "--url", MEMORY, "k", "v").out()).isEqualTo("stored 'k'\n");
    assertThat(hoard("cache", "forget", "--url", MEMORY, "k").out())
        .isEqualTo("no entry for key 'k'\n");
  }

  @Test
  void keysOnAStoreThatCannotListThemFails() {
    Run run = hoard("cache", "keys", "--url", "keyless://");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).startsWith("hoard: this store cannot list keys");
  }

  @Test
  void cacheTestPassesOnAMemoryStore() {
    Run run = hoard("cache", "test", "--url", MEMORY);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().filter(line -> line.startsWith("OK   "))).hasSize(13);
    assertThat(run.out()).endsWith("13 passed, 0 failed, 0 skipped\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void cacheTestPassesThroughTheJsonCodec() {
    Run run = hoard("cache", "test", "--url", "memory://?copyValues=true");

    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void cacheTestShowsSymbolsOnATerminal() {
    Run run = hoard(Map.of(), true, "cache", "test", "--url", MEMORY);

    assertThat(run.out()).contains("✔ put/get round trip of a JSON object").doesNotContain("OK ");
  }

  @Test
  void cacheTestSkipsKeyListingWhereTheStoreCannot() {
    Run run = hoard("cache", "test", "--url", "keyless://");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("SKIP keys(glob) lists the matching keys: skipped: store cannot list keys")
        .endsWith("11 passed, 0 failed, 2 skipped\n");
  }

  @Test
  void cacheTestFailsWhenAChecksFails() {
    // The utf8 codec stores text only, so the JSON object round trip cannot succeed.
    Run run = hoard("cache", "test", "--url", "memory://?copyValues=true&codec=utf8");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out())
        .contains("FAIL put/get round trip of a JSON object: IllegalArgumentException: the utf8"
            + " codec stores text")
        .endsWith("12 passed, 1 failed, 0 skipped\n");
  }
}
