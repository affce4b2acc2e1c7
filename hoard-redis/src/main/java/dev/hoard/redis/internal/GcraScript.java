package dev.hoard.redis.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.hoard.ratelimit.spi.GcraOutcome;
import dev.hoard.ratelimit.spi.GcraStep;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@link GcraStep#applyTo} as a Lua script, so the read, the decision and the write happen in one
 * atomic step on the server. The TAT is kept as a decimal string (microseconds fit a Lua double
 * exactly until the year 2255) with a relative {@code PX} expiry, so a skew between the caller's
 * clock and the server's can only make the key live longer, never lose it early.
 */
public final class GcraScript {

  private static final LuaScript SCRIPT = new LuaScript("""
      local now = tonumber(ARGV[1])
      local interval = tonumber(ARGV[2])
      local tolerance = tonumber(ARGV[3])
      local permits = tonumber(ARGV[4])
      local tat = now
      local stored = redis.call('GET', KEYS[1])
      if stored then
        local value = tonumber(stored)
        if value == nil then
          return redis.error_reply('HOARDSTATE the key holds something that is not a GCRA state')
        end
        if value > tat then
          tat = value
        end
      end
      local nextTat = tat + permits * interval
      if nextTat - now > tolerance then
        return {0, tat}
      end
      local ttl = math.max(1, math.ceil((nextTat - now) / 1000))
      redis.call('SET', KEYS[1], string.format('%d', nextTat), 'PX', string.format('%d', ttl))
      return {1, nextTat}
      """);

  private GcraScript() {}

  /** Sends the step for {@code redisKey}; the reply becomes a {@link GcraOutcome}. */
  public static CompletionStage<GcraOutcome> run(
      RedisClusterAsyncCommands<byte[], byte[]> redis, byte[] redisKey, GcraStep step) {
    CompletionStage<List<Object>> reply = SCRIPT.run(redis, ScriptOutputType.MULTI,
        new byte[][] {redisKey}, decimal(step.nowMicros()), decimal(step.intervalMicros()),
        decimal(step.toleranceMicros()), decimal(step.permits()));
    return reply.thenApply(parts -> new GcraOutcome((Long) parts.get(0) == 1, (Long) parts.get(1)));
  }

  /** Whether a failure is the script refusing a key that holds something else. */
  public static boolean refusedForeignValue(Throwable failure) {
    String message = String.valueOf(RedisErrors.unwrap(failure).getMessage());
    return message.contains("HOARDSTATE") || message.contains("WRONGTYPE");
  }

  private static byte[] decimal(long value) {
    return Long.toString(value).getBytes(US_ASCII);
  }
}
