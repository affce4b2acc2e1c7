package dev.hoard.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hoard.cache.Caches;
import dev.hoard.cache.spi.CacheStore;
import dev.hoard.cache.tiered.TieredCacheStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.time.Clock;

/**
 * The other process of {@link NearCacheTwoProcessIT}: opens a near cache from the URL it is
 * given and answers one command per line on stdin with one line on stdout.
 *
 * <ul>
 *   <li>{@code get KEY} → {@code KEY=VALUE l1=true|false} ({@code VALUE} is {@code null} when
 *       absent; {@code l1} says whether L1 answered);
 *   <li>{@code put KEY VALUE} → {@code ok};
 *   <li>{@code quit} → exits.
 * </ul>
 */
final class NearCacheWorker {

  private NearCacheWorker() {}

  public static void main(String[] args) throws IOException {
    try (TieredCacheStore store = (TieredCacheStore) Caches.openStore(args[0], Clock.systemUTC());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8))) {
      System.out.println("ready");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.split(" ", 3);
        switch (words[0]) {
          case "get" -> {
            long hits = store.tierStatistics().l1Hits();
            Object value = store.get(words[1]);
            boolean fromL1 = store.tierStatistics().l1Hits() > hits;
            System.out.println(words[1] + "=" + (value == null ? null : new String((byte[]) value, UTF_8))
                + " l1=" + fromL1);
          }
          case "put" -> {
            store.put(words[1], words[2].getBytes(UTF_8), CacheStore.NEVER);
            System.out.println("ok");
          }
          case "quit" -> {
            return;
          }
          default -> System.out.println("unknown command " + line);
        }
      }
    }
  }
}
