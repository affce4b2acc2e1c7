package dev.hoard.cli;

import picocli.CommandLine.Option;

/** Where a command that serves HTTP ({@code demo}, {@code proxy}) listens: host and port. */
final class ListenOptions {

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "The port to serve on, 0 for any free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "The address to listen on (0.0.0.0 for every one). Default: ${DEFAULT-VALUE}.")
  String host;
}
