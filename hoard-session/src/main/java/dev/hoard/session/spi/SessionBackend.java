package dev.hoard.session.spi;

/**
 * Where sessions live: either on the server ({@link SessionStore}) or inside the token the client
 * holds ({@link ClientSessionStore}). {@link SessionStoreProvider}s open one from a URL.
 */
public interface SessionBackend extends AutoCloseable {

  /** A short description for logs and the CLI, never containing credentials or keys. */
  String description();

  /** Releases connections, threads and files. */
  @Override
  void close();
}
