package dev.hoard.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run with {@code EVALSHA} by its SHA-1, falling back to {@code EVAL} (which also
 * caches it on that server) when the server answers {@code NOSCRIPT}: after a restart, a
 * failover, or on a Cluster node that has not seen it yet. One round trip in the common case.
 */
public final class LuaScript {

  /**
   * Deletes KEYS[1] only while it still holds ARGV[1]: the release of a lock taken with SET NX,
   * which must never delete a lock that timed out and was taken by someone else since.
   */
  public static final LuaScript DELETE_IF_HOLDING = new LuaScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  private final byte[] source;
  private final String sha;

  /** A script from its source text. */
  public LuaScript(String source) {
    this.source = source.getBytes(StandardCharsets.UTF_8);
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1, which every Java platform must have", e);
    }
  }

  /** Runs the script on the node that owns {@code keys} (all in one hash slot on a Cluster). */
  public <T> CompletionStage<T> run(
      RedisClusterAsyncCommands<byte[], byte[]> redis, ScriptOutputType type, byte[][] keys,
      byte[]... args) {
    CompletionStage<T> bySha = redis.evalsha(sha, type, keys, args);
    return bySha.exceptionallyCompose(failure -> {
      if (RedisErrors.unwrap(failure) instanceof RedisNoScriptException) {
        return redis.eval(source, type, keys, args);
      }
      return CompletableFuture.failedStage(failure);
    });
  }
}
