package dev.hoard.spring.boot.bench;

import dev.hoard.cache.Caches;
import dev.hoard.spring.boot.autoconfigure.HoardCacheManager;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@code @Cacheable} hit through Spring's caching proxy, with Hoard's {@link HoardCacheManager}
 * on {@code memory:} against Spring's own {@link CaffeineCacheManager}, in one run. Lives in the
 * test sources of hoard-spring-boot because hoard-bench pins Spring Framework 6.2 for its Spring
 * Session reference. Run it with the command in the README's Spring Boot section.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CacheableHitBenchmark {

  private static final int KEYS = 1024;

  @Param({"hoard", "caffeine"})
  public String manager;

  private AnnotationConfigApplicationContext context;
  private Catalogue catalogue;
  private org.springframework.cache.Cache items;

  @Setup(Level.Trial)
  public void start() {
    context = new AnnotationConfigApplicationContext();
    context.register(manager.equals("hoard") ? OnHoard.class : OnCaffeine.class);
    context.refresh();
    catalogue = context.getBean(Catalogue.class);
    items = context.getBean(CacheManager.class).getCache("items");
    for (int id = 0; id < KEYS; id++) {
      catalogue.find(id);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    context.close();
  }

  /** Per thread, so that threads do not contend on one counter. */
  @State(Scope.Thread)
  public static class Keys {
    int next;

    int nextId() {
      next = (next + 1) & (KEYS - 1);
      return next;
    }
  }

  @Benchmark
  public Object cacheableHit(Keys keys) {
    return catalogue.find(keys.nextId());
  }

  /** The cache alone, without Spring's proxy: where the two managers differ. */
  @Benchmark
  public Object cacheGet(Keys keys) {
    return items.get(keys.nextId());
  }

  /** What is cached: a lookup by id. */
  public static class Catalogue {
    @Cacheable("items")
    public String find(int id) {
      return "item-" + id;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class OnHoard {
    @Bean(destroyMethod = "close")
    dev.hoard.cache.Cache hoardCache() {
      return Caches.open("memory:");
    }

    @Bean
    CacheManager cacheManager(dev.hoard.cache.Cache hoardCache) {
      return HoardCacheManager.builder(hoardCache).build();
    }

    @Bean
    Catalogue catalogue() {
      return new Catalogue();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class OnCaffeine {
    @Bean
    CacheManager cacheManager() {
      return new CaffeineCacheManager();
    }

    @Bean
    Catalogue catalogue() {
      return new Catalogue();
    }
  }
}
