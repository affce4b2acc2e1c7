package dev.hoard.memcached.internal;

import com.spotify.folsom.BinaryMemcacheClient;
import com.spotify.folsom.GetResult;
import com.spotify.folsom.MemcacheClientBuilder;
import com.spotify.folsom.MemcacheStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MemcachedConnection} on folsom's binary-protocol client: one Netty connection pool per
 * server and ketama consistent hashing across servers (folsom's default for several addresses).
 *
 * <p>While a server is disconnected folsom sends its keys to the next connected server on the
 * ring, so they read as misses there and writes land there; only when no server is connected do
 * requests fail. Requests to a server that stops answering without closing its connection fail
 * after the request timeout.
 */
public final class FolsomConnection implements MemcachedConnection {

  private static final Logger LOG = LoggerFactory.getLogger(FolsomConnection.class);

  private final BinaryMemcacheClient<byte[]> client;
  private final String description;
  private final List<ServerAddress> servers;

  /**
   * Connects to the servers and waits up to {@code connectTimeout} for every one of them; servers
   * still down after that are retried in the background and their keys fail until they answer.
   */
  public FolsomConnection(
      List<ServerAddress> servers, Duration timeout, Duration connectTimeout, int connections) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("give at least one memcached server, e.g. host:11211");
    }
    MemcacheClientBuilder<byte[]> builder = MemcacheClientBuilder.newByteArrayClient();
    builder = withRequestTimeout(builder, timeout)
        .withConnectionTimeoutMillis(connectTimeout.toMillis())
        .withConnections(connections)
        .withRetry(false);
    for (ServerAddress server : servers) {
      builder.withAddress(server.host(), server.port());
    }
    this.description = servers.toString();
    this.servers = List.copyOf(servers);
    this.client = builder.connectBinary();
    try {
      client.awaitFullyConnected(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("not every memcached server of {} answered within {}; keys on the missing ones "
          + "fail until they do", description, connectTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.shutdown();
      throw new IllegalStateException("interrupted while connecting to memcached " + description, e);
    }
  }

  // Deprecated in folsom for its coarse timeout checker; it is still the only request timeout.
  @SuppressWarnings("deprecation")
  private static MemcacheClientBuilder<byte[]> withRequestTimeout(
      MemcacheClientBuilder<byte[]> builder, Duration timeout) {
    return builder.withRequestTimeoutMillis(timeout.toMillis());
  }

  @Override
  public CompletableFuture<Item> get(String key) {
    return client.casGet(key).toCompletableFuture()
        .thenApply(result -> result == null ? null : new Item(result.getValue(), result.getCas()));
  }

  @Override
  public CompletableFuture<Map<String, byte[]>> getAll(List<String> keys) {
    return client.casGet(keys).toCompletableFuture().thenApply(results -> {
      Map<String, byte[]> found = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        GetResult<byte[]> result = results.get(i);
        if (result != null) {
          found.put(keys.get(i), result.getValue());
        }
      }
      return found;
    });
  }

  @Override
  public CompletableFuture<Void> set(String key, byte[] value, int exptime) {
    return client.set(key, value, exptime).toCompletableFuture().thenApply(status -> {
      if (status != MemcacheStatus.OK) {
        throw refused("set", key, value, status);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> add(String key, byte[] value, int exptime) {
    return client.add(key, value, exptime).toCompletableFuture().thenApply(status -> switch (status) {
      case OK -> true;
      case ITEM_NOT_STORED, KEY_EXISTS -> false;
      default -> throw refused("add", key, value, status);
    });
  }

  @Override
  public CompletableFuture<Outcome> compareAndSet(String key, byte[] value, int exptime, long cas) {
    return client.set(key, value, exptime, cas).toCompletableFuture()
        .thenApply(status -> switch (status) {
          case OK -> Outcome.STORED;
          case KEY_EXISTS, ITEM_NOT_STORED -> Outcome.EXISTS;
          case KEY_NOT_FOUND -> Outcome.NOT_FOUND;
          default -> throw refused("cas", key, value, status);
        });
  }

  @Override
  public CompletableFuture<Boolean> delete(String key) {
    return client.delete(key).toCompletableFuture().thenApply(status -> switch (status) {
      case OK -> true;
      case KEY_NOT_FOUND -> false;
      default -> throw new IllegalStateException(
          "memcached refused to delete '" + key + "': " + status);
    });
  }

  @Override
  public CompletableFuture<Long> incrementOrCreate(
      String key, long delta, long initial, int exptime) {
    return client.incr(key, delta, initial, exptime).toCompletableFuture();
  }

  private static RuntimeException refused(
      String command, String key, byte[] value, MemcacheStatus status) {
    if (status == MemcacheStatus.VALUE_TOO_LARGE) {
      return new IllegalArgumentException(
          "memcached refused a value of " + value.length + " bytes for '" + key
              + "' as too large; raise the servers' item size limit (memcached -I) or store less");
    }
    return new IllegalStateException(
        "memcached refused " + command + " of '" + key + "': " + status);
  }

  @Override
  public CompletableFuture<Map<String, Map<String, String>>> stats() {
    return client.getStats("").toCompletableFuture().thenApply(byServer -> {
      Map<String, Map<String, String>> stats = new HashMap<>();
      for (ServerAddress server : servers) {
        String name = server.host() + ":" + server.port();
        // folsom names each server by its own address form; match on host and port.
        byServer.forEach((folsomName, serverStats) -> {
          if (folsomName.equals(name) || folsomName.endsWith(name)
              || folsomName.endsWith("/" + name)) {
            stats.put(name, serverStats.getStats());
          }
        });
      }
      return stats;
    });
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
