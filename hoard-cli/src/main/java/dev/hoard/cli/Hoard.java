package dev.hoard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code hoard} command, entry point of {@code hoard.jar}.
 *
 * <p>Exit status: 0 when the command did what it was asked, 1 when it could not (a store error, a
 * failed check, a missing key), 2 for bad usage (unknown option or command, a malformed URL or
 * parameter). Errors are one line on standard error, {@code hoard: <message>}; {@code --verbose}
 * adds the stack trace.
 */
@Command(
    name = "hoard",
    mixinStandardHelpOptions = true,
    versionProvider = Hoard.Version.class,
    description = "Checks, inspects and edits Hoard cache and session stores.",
    subcommands = {CacheCommand.class, SessionsCommand.class, DemoCommand.class,
        ProxyCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the command did what it was asked",
        "1:it could not: a store error, a failed check, a missing key",
        "2:bad usage: unknown option or command, bad URL or parameter"})
public final class Hoard implements Runnable {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private final Environment environment;

  @Spec private CommandSpec spec;

  private Hoard(Environment environment) {
    this.environment = environment;
  }

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, Environment.system()));
  }

  /** Runs the command in this process and returns its exit status. */
  static int run(String[] args, Environment environment) {
    try {
      return commandLine(environment).execute(args);
    } finally {
      environment.out().flush();
      environment.err().flush();
    }
  }

  static CommandLine commandLine(Environment environment) {
    CommandLine commandLine = new CommandLine(new Hoard(environment));
    commandLine.setOut(environment.out());
    commandLine.setErr(environment.err());
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
        environment.symbols() ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionStrategy(Hoard::execute);
    commandLine.setParameterExceptionHandler(Hoard::usageError);
    commandLine.setExecutionExceptionHandler(Hoard::failure);
    return commandLine;
  }

  Environment environment() {
    return environment;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  private static int execute(ParseResult parsed) {
    if (verbose(parsed) && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "debug");
    }
    return new RunLast().execute(parsed);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("hoard: " + e.getMessage() + " (see '"
        + commandLine.getCommandSpec().qualifiedName() + " --help')");
    UnmatchedArgumentException.printSuggestions(e, err);
    return USAGE;
  }

  private static int failure(Exception e, CommandLine commandLine, ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    err.println("hoard: " + message(e));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    return e instanceof IllegalArgumentException ? USAGE : FAILED;
  }

  /** The exception's message, with its cause's when that adds something. */
  private static String message(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += ": " + cause.getMessage();
    }
    return message.replace('\n', ' ');
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Reads the version Maven wrote into {@code hoard-cli.properties}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties properties = new Properties();
      try (InputStream in = Hoard.class.getResourceAsStream("/hoard-cli.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {
          "hoard " + properties.getProperty("version", "(unknown version)"),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
