package dev.hoard.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @Cacheable} and friends through {@link HoardCacheManager}, on every store, real servers. */
class HoardCacheManagerTest {

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  /** The stores that need no server; {@link HoardCacheManagerIT} runs the same tests on servers. */
  static Stream<String> stores() {
    return Stream.of(
        "memory:",
        "file://" + System.getProperty("java.io.tmpdir") + "/hoard-spring-test-" + RUN);
  }

  private ApplicationContextRunner runner(String url) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HoardAutoConfiguration.class))
        .withUserConfiguration(LibraryConfiguration.class)
        .withPropertyValues(
            "hoard.cache.url=" + url,
            "hoard.cache.value-packages=dev.hoard.spring.boot.autoconfigure",
            "hoard.cache.caches.books.ttl=10m");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void cacheableHitsCachePutUpdatesAndEvictRemoves(String url) {
    runner(url).run(context -> {
      Library library = context.getBean(Library.class);
      HoardCacheManager manager = context.getBean(HoardCacheManager.class);
      try {
        long hitsBefore = manager.hoardCaches().get("books").stats().hits();

        Book first = library.book(1);
        Book again = library.book(1);

        assertThat(again).isEqualTo(first).isInstanceOf(Book.class);
        assertThat(library.loads()).isEqualTo(1);
        assertThat(manager.hoardCaches().get("books").stats().hits()).isGreaterThan(hitsBefore);
        assertThat(manager.hoardCaches().get("books").ttl("1"))
            .hasValueSatisfying(left -> assertThat(left)
                .isLessThanOrEqualTo(Duration.ofMinutes(10))
                .isGreaterThan(Duration.ofMinutes(9)));

        library.rename(new Book(1, "Renamed", List.of("x")));
        assertThat(library.book(1).title()).isEqualTo("Renamed");
        assertThat(library.loads()).isEqualTo(1);

        library.forget(1);
        assertThat(library.book(1).title()).isEqualTo("Book 1");
        assertThat(library.loads()).isEqualTo(2);
      } finally {
        clearAll(manager);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void nullResultsAreCachedAndClearTouchesOnlyItsOwnCache(String url) {
    runner(url).run(context -> {
      Library library = context.getBean(Library.class);
      HoardCacheManager manager = context.getBean(HoardCacheManager.class);
      try {
        assertThat(library.missing("none")).isNull();
        assertThat(library.missing("none")).isNull();
        assertThat(library.missingLoads()).isEqualTo(1);

        library.book(2);
        library.forgetAllMissing();

        assertThat(library.missing("none")).isNull();
        assertThat(library.missingLoads()).isEqualTo(2);
        library.book(2);
        assertThat(library.loads()).isEqualTo(1);
      } finally {
        clearAll(manager);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void syncCacheableLoadsOnceForConcurrentCallers(String url) {
    runner(url).run(context -> {
      Library library = context.getBean(Library.class);
      HoardCacheManager manager = context.getBean(HoardCacheManager.class);
      try {
        List<Thread> callers = new ArrayList<>();
        List<Book> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          Thread caller = new Thread(() -> {
            Book book = library.slowBook(7);
            synchronized (results) {
              results.add(book);
            }
          });
          callers.add(caller);
          caller.start();
        }
        assertThat(library.awaitSlowLoad(30, TimeUnit.SECONDS)).isTrue();
        // Every caller is parked: one in the loader, the rest waiting for its result.
        await().atMost(Duration.ofSeconds(30)).until(() -> callers.stream()
            .allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING));
        library.releaseSlowLoad();
        for (Thread caller : callers) {
          caller.join(30_000);
        }

        assertThat(library.slowLoads()).isEqualTo(1);
        assertThat(results).hasSize(6).allMatch(book -> book.equals(results.get(0)));
      } finally {
        clearAll(manager);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void asyncCacheableRetrievesThroughTheAsyncApi(String url) {
    runner(url).run(context -> {
      Library library = context.getBean(Library.class);
      HoardCacheManager manager = context.getBean(HoardCacheManager.class);
      try {
        Book first = library.asyncBook(3).get(30, TimeUnit.SECONDS);
        Book again = library.asyncBook(3).get(30, TimeUnit.SECONDS);

        assertThat(again).isEqualTo(first).isInstanceOf(Book.class);
        assertThat(library.asyncLoads()).isEqualTo(1);
        Object retrieved = manager.getCache("books").retrieve(3).get(30, TimeUnit.SECONDS);
        assertThat(retrieved)
            .isInstanceOfSatisfying(org.springframework.cache.Cache.ValueWrapper.class,
                wrapper -> assertThat(wrapper.get()).isEqualTo(first));
        assertThat(manager.getCache("books").retrieve(404).get(30, TimeUnit.SECONDS)).isNull();
      } finally {
        clearAll(manager);
      }
    });
  }

  private static void clearAll(CacheManager manager) {
    manager.getCacheNames().forEach(name -> manager.getCache(name).clear());
  }

  /** A value Jackson can read back from a byte store. */
  record Book(int id, String title, List<String> authors) {}

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class LibraryConfiguration {
    @Bean
    Library library() {
      return new Library();
    }
  }

  /** A repository whose loads are counted. */
  static class Library {
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger missingLoads = new AtomicInteger();
    final AtomicInteger slowLoads = new AtomicInteger();
    final AtomicInteger asyncLoads = new AtomicInteger();
    final CountDownLatch slowLoadStarted = new CountDownLatch(1);
    final CountDownLatch releaseSlowLoad = new CountDownLatch(1);

    // Read through methods: the caching proxy Spring hands out has fields of its own.
    int loads() {
      return loads.get();
    }

    int missingLoads() {
      return missingLoads.get();
    }

    int slowLoads() {
      return slowLoads.get();
    }

    int asyncLoads() {
      return asyncLoads.get();
    }

    boolean awaitSlowLoad(long timeout, TimeUnit unit) throws InterruptedException {
      return slowLoadStarted.await(timeout, unit);
    }

    void releaseSlowLoad() {
      releaseSlowLoad.countDown();
    }

    @Cacheable("books")
    public Book book(int id) {
      loads.incrementAndGet();
      return new Book(id, "Book " + id, List.of("Ann", "Bob"));
    }

    @CachePut(cacheNames = "books", key = "#p0.id")
    public Book rename(Book book) {
      return book;
    }

    @CacheEvict("books")
    public void forget(int id) {}

    @Cacheable("missing")
    public Book missing(String isbn) {
      missingLoads.incrementAndGet();
      return null;
    }

    @CacheEvict(cacheNames = "missing", allEntries = true)
    public void forgetAllMissing() {}

    @Cacheable(cacheNames = "slow", sync = true)
    public Book slowBook(int id) {
      slowLoads.incrementAndGet();
      slowLoadStarted.countDown();
      try {
        releaseSlowLoad.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while loading", e);
      }
      return new Book(id, "Slow " + id, List.of());
    }

    @Cacheable("books")
    public CompletableFuture<Book> asyncBook(int id) {
      asyncLoads.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> new Book(id, "Async " + id, List.of("Cy")));
    }
  }
}
