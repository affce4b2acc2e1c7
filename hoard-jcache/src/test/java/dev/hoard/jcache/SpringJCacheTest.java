package dev.hoard.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring's {@link JCacheCacheManager} serves {@code @Cacheable} from Hoard's JCache provider. */
class SpringJCacheTest {

  static final URI MANAGER = URI.create("memory://?maximumSize=1000");

  /** A service whose answers Spring caches. */
  static class Greetings {
    private final AtomicInteger computed = new AtomicInteger();

    @Cacheable("greetings")
    public String greet(String name) {
      computed.incrementAndGet();
      return "hello " + name;
    }

    public int computed() {
      return computed.get();
    }
  }

  @Configuration
  @EnableCaching
  static class Application {
    @Bean
    CacheManager jcacheManager() {
      CacheManager manager = Caching.getCachingProvider().getCacheManager(MANAGER, null);
      manager.createCache("greetings", new MutableConfiguration<Object, Object>());
      return manager;
    }

    @Bean
    JCacheCacheManager cacheManager(CacheManager jcacheManager) {
      return new JCacheCacheManager(jcacheManager);
    }

    @Bean
    Greetings greetings() {
      return new Greetings();
    }
  }

  @Test
  void cacheableMethodsRunOnceAndTheirAnswersLiveInTheHoardCache() {
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(Application.class)) {
      Greetings greetings = context.getBean(Greetings.class);

      assertThat(greetings.greet("ada")).isEqualTo("hello ada");
      assertThat(greetings.greet("ada")).isEqualTo("hello ada");
      assertThat(greetings.greet("alan")).isEqualTo("hello alan");

      assertThat(greetings.computed()).isEqualTo(2);
      CacheManager jcache = context.getBean(CacheManager.class);
      assertThat(jcache.getCachingProvider()).isInstanceOf(HoardCachingProvider.class);
      assertThat(jcache.getCache("greetings").get("ada")).isEqualTo("hello ada");
      jcache.close();
    }
  }
}
