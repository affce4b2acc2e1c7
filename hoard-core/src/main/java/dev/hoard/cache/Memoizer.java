package dev.hoard.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hoard.cache.memory.MemoryCacheStore;
import dev.hoard.cache.spi.Glob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Caches what functions and suppliers return, keyed by their arguments; concurrent calls with the
 * same arguments compute once. Results live in a {@link Cache}, so memoized results are shared
 * between processes when the cache is remote.
 *
 * <p>A key is either a {@link KeyTemplate} filled with the arguments ({@code user:{id}} gives
 * {@code user:42}), readable and invalidated by template or glob, or — when the first argument
 * names the function without placeholders — the name followed by the arguments as one canonical
 * JSON array ({@code findUser} gives {@code findUser:[42]}): stable between processes and runs
 * (object properties and map entries sorted), distinct for arguments whose JSON differs, and
 * replaced by a SHA-256 digest ({@code findUser:#…}) when longer than {@value #LONGEST_KEY}
 * characters.
 *
 * <pre>{@code
 * Memoizer memo = Memoizer.over(cache, Duration.ofMinutes(5));
 * Function<Long, User> findUser = memo.function("user:{id}", User.class, repository::find);
 * BiFunction<String, Integer, List> search = memo.biFunction("search", List.class, catalog::search);
 * memo.invalidate("user:{id}", 42L);
 * }</pre>
 */
public final class Memoizer {

  /** Argument keys longer than this are hashed; every store takes keys of this length. */
  static final int LONGEST_KEY = 200;

  private static final int DELETE_BATCH = 500;

  private static final ObjectMapper ARGUMENTS = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private final Cache cache;
  private final Duration ttl;
  private final Predicate<Object> unless;

  private Memoizer(Cache cache, Duration ttl, Predicate<Object> unless) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.unless = unless;
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  /** Memoizes into an existing cache with one TTL for every result. */
  public static Memoizer over(Cache cache, Duration ttl) {
    return new Memoizer(cache, ttl, null);
  }

  /** Memoizes into a private in-memory cache bounded to {@code maximumSize} results. */
  public static Memoizer inMemory(long maximumSize, Duration ttl) {
    MemoryCacheStore store = MemoryCacheStore.builder().maximumSize(maximumSize).build();
    return new Memoizer(Cache.builder(store).name("memoizer").build(), ttl, null);
  }

  /**
   * A memoizer like this one that does not keep results {@code predicate} accepts, such as empty
   * lists or failures reported as values: they are returned to the caller (and to every caller
   * that waited on the same computation) but computed again next time.
   */
  public Memoizer unless(Predicate<Object> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new Memoizer(cache, ttl, unless == null ? predicate : unless.or(predicate));
  }

  /** The cache results are kept in (for statistics). */
  public Cache cache() {
    return cache;
  }

  /**
   * Wraps a one-argument function.
   *
   * @param key a template with one placeholder, e.g. {@code user:{id}}, or a name without
   *     placeholders for keys built from the argument
   * @throws IllegalArgumentException if the template has placeholders, but not exactly one
   */
  public <A, R> Function<A, R> function(
      String key, Class<R> type, Function<? super A, ? extends R> function) {
    KeyTemplate template = templateOf(key, 1);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return argument -> remember(keyOf(template, argument), type, () -> function.apply(argument));
  }

  /**
   * Wraps a two-argument function; the template has two placeholders, or none for keys built from
   * the arguments.
   */
  public <A, B, R> BiFunction<A, B, R> biFunction(
      String key, Class<R> type, BiFunction<? super A, ? super B, ? extends R> function) {
    KeyTemplate template = templateOf(key, 2);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return (first, second) ->
        remember(keyOf(template, first, second), type, () -> function.apply(first, second));
  }

  /**
   * Wraps a one-argument function that answers asynchronously: concurrent calls with the same
   * argument share one computation, which runs without blocking a thread on the cache; a failed
   * computation is not kept.
   */
  public <A, R> Function<A, CompletableFuture<R>> asyncFunction(
      String key, Class<R> type, Function<? super A, ? extends CompletionStage<? extends R>> function) {
    KeyTemplate template = templateOf(key, 1);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return argument ->
        rememberAsync(keyOf(template, argument), type, () -> function.apply(argument));
  }

  /** Wraps a two-argument function that answers asynchronously; see {@link #asyncFunction}. */
  public <A, B, R> BiFunction<A, B, CompletableFuture<R>> asyncBiFunction(
      String key, Class<R> type,
      BiFunction<? super A, ? super B, ? extends CompletionStage<? extends R>> function) {
    KeyTemplate template = templateOf(key, 2);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(function, "function");
    return (first, second) -> rememberAsync(
        keyOf(template, first, second), type, () -> function.apply(first, second));
  }

  /** Wraps a supplier under a fixed key. */
  public <R> Supplier<R> supplier(String key, Class<R> type, Supplier<? extends R> supplier) {
    templateOf(key, 0);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(supplier, "supplier");
    return () -> remember(key, type, supplier);
  }

  /**
   * Forgets the result stored under the template filled with these arguments, or under the
   * function name and these arguments.
   */
  public boolean invalidate(String key, Object... arguments) {
    return cache.delete(keyOf(KeyTemplate.of(key), arguments));
  }

  /** Forgets every result whose key matches the glob, e.g. {@code user:*}; returns how many. */
  public long invalidateMatching(String glob) {
    return cache.deleteMatching(glob);
  }

  /**
   * Forgets every result of a template or a function name, e.g. all of {@code user:{id}} but none
   * of {@code user:{id}:posts}; returns how many.
   */
  public long invalidateAll(String key) {
    long deleted = 0;
    List<String> batch = new ArrayList<>(DELETE_BATCH);
    try (Stream<String> keys = keys(key)) {
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

  /** The keys of the results currently kept for a template or function name; close the stream. */
  public Stream<String> keys(String key) {
    KeyTemplate template = KeyTemplate.of(key);
    if (template.arity() == 0) {
      String prefix = key + ":";
      return cache.keys(Glob.escape(key) + "*")
          .filter(stored -> stored.equals(key) || stored.startsWith(prefix));
    }
    return cache.keys(template.toGlob()).filter(template::matches);
  }

  private <R> R remember(String key, Class<R> type, Supplier<? extends R> computation) {
    if (unless == null) {
      return cache.remember(key, type, ttl, computation);
    }
    try {
      return cache.remember(key, type, ttl, () -> {
        R result = computation.get();
        if (result != null && unless.test(result)) {
          throw new NotKept(result);
        }
        return result;
      });
    } catch (NotKept notKept) {
      return type.cast(notKept.result);
    }
  }

  private <R> CompletableFuture<R> rememberAsync(
      String key, Class<R> type, Supplier<? extends CompletionStage<? extends R>> computation) {
    if (unless == null) {
      return cache.async().rememberAsync(key, type, ttl, computation);
    }
    return cache.async().rememberAsync(key, type, ttl,
        () -> computation.get().thenApply(result -> {
          if (result != null && unless.test(result)) {
            throw new NotKept(result);
          }
          return result;
        })).exceptionallyCompose(failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          return cause instanceof NotKept notKept
              ? CompletableFuture.completedFuture(type.cast(notKept.result))
              : CompletableFuture.failedFuture(cause);
        });
  }

  /**
   * Carries a result the {@link #unless} predicate rejected out of the cache's single-flight load,
   * which stores whatever its loader returns and shares a thrown exception with every waiter.
   */
  private static final class NotKept extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Object result;

    NotKept(Object result) {
      super(null, null, false, false);
      this.result = result;
    }
  }

  static String keyOf(KeyTemplate template, Object... arguments) {
    if (template.arity() > 0 || arguments.length == 0) {
      return template.expand(arguments);
    }
    String name = template.toString();
    String json;
    try {
      json = ARGUMENTS.writeValueAsString(arguments);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot build a key for '" + name + "' from its arguments: " + e.getOriginalMessage()
              + "; give the arguments Jackson-readable properties or use a key template such as "
              + name + ":{id}", e);
    }
    String key = name + ":" + json;
    return key.length() <= LONGEST_KEY ? key : name + ":#" + sha256(json);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static KeyTemplate templateOf(String key, int arity) {
    KeyTemplate template = KeyTemplate.of(key);
    if (template.arity() != 0 && template.arity() != arity) {
      throw new IllegalArgumentException(
          "key template '" + key + "' has " + template.arity()
              + " placeholder(s); this call needs " + arity + ", or none to key by the arguments");
    }
    return template;
  }
}
