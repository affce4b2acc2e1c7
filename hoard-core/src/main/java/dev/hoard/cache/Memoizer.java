package dev.hoard.cache;

import dev.hoard.cache.memory.MemoryCacheStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Caches what functions and suppliers return, keyed by a {@link KeyTemplate} filled with their
 * arguments; concurrent calls with the same arguments compute once. Results live in a {@link
 * Cache}, so memoized results are shared between processes when the cache is remote, and are
 * invalidated by template or by glob.
 *
 * <pre>{@code
 * Memoizer memo = Memoizer.over(cache, Duration.ofMinutes(5));
 * Function<Long, User> findUser = memo.function("user:{id}", User.class, repository::find);
 * memo.invalidate("user:{id}", 42L);
 * }</pre>
 */
public final class Memoizer {

  private static final int DELETE_BATCH = 500;

  private final Cache cache;
  private final Duration ttl;

  private Memoizer(Cache cache, Duration ttl) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  /** Memoizes into an existing cache with one TTL for every result. */
  public static Memoizer over(Cache cache, Duration ttl) {
    return new Memoizer(cache, ttl);
  }

  /** Memoizes into a private in-memory cache bounded to {@code maximumSize} results. */
  public static Memoizer inMemory(long maximumSize, Duration ttl) {
    MemoryCacheStore store = MemoryCacheStore.builder().maximumSize(maximumSize).build();
    return new Memoizer(Cache.builder(store).name("memoizer").build(), ttl);
  }

  /** The cache results are kept in (for statistics). */
  public Cache cache() {
    return cache;
  }

  /**
   * Wraps a one-argument function.
   *
   * @param keyTemplate a template with one placeholder, e.g. {@code user:{id}}
   * @throws IllegalArgumentException if the template does not have exactly one placeholder
   */
  public <A, R> Function<A, R> function(
      String keyTemplate, Class<R> type, Function<? super A, ? extends R> function) {
    KeyTemplate template = templateOf(keyTemplate, 1);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return argument ->
        cache.remember(template.expand(argument), type, ttl, () -> function.apply(argument));
  }

  /** Wraps a two-argument function; the template has two placeholders. */
  public <A, B, R> BiFunction<A, B, R> biFunction(
      String keyTemplate, Class<R> type, BiFunction<? super A, ? super B, ? extends R> function) {
    KeyTemplate template = templateOf(keyTemplate, 2);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return (first, second) -> cache.remember(
        template.expand(first, second), type, ttl, () -> function.apply(first, second));
  }

  /** Wraps a supplier under a fixed key. */
  public <R> Supplier<R> supplier(String key, Class<R> type, Supplier<? extends R> supplier) {
    templateOf(key, 0);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(supplier, "supplier");
    return () -> cache.remember(key, type, ttl, supplier);
  }

  /** Forgets the result stored under the template filled with these arguments. */
  public boolean invalidate(String keyTemplate, Object... arguments) {
    return cache.delete(KeyTemplate.of(keyTemplate).expand(arguments));
  }

  /** Forgets every result whose key matches the glob, e.g. {@code user:*}; returns how many. */
  public long invalidateMatching(String glob) {
    return cache.deleteMatching(glob);
  }

  /**
   * Forgets every result of a template, e.g. all of {@code user:{id}} but none of {@code
   * user:{id}:posts}; returns how many.
   */
  public long invalidateAll(String keyTemplate) {
    long deleted = 0;
    List<String> batch = new ArrayList<>(DELETE_BATCH);
    try (Stream<String> keys = keys(keyTemplate)) {
      for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
        batch.add(it.next());
        if (batch.size() == DELETE_BATCH) {
          deleted += cache.deleteAll(batch);
          batch.clear();
        }
      }
    }
    return deleted + (batch.isEmpty() ? 0 : cache.deleteAll(batch));
  }

  /** The keys of the results currently kept for a template; close the stream. */
  public Stream<String> keys(String keyTemplate) {
    KeyTemplate template = KeyTemplate.of(keyTemplate);
    return cache.keys(template.toGlob()).filter(template::matches);
  }

  private static KeyTemplate templateOf(String keyTemplate, int arity) {
    KeyTemplate template = KeyTemplate.of(keyTemplate);
    if (template.arity() != arity) {
      throw new IllegalArgumentException(
          "key template '" + keyTemplate + "' has " + template.arity()
              + " placeholder(s); this call needs " + arity);
    }
    return template;
  }
}
