package dev.hoard.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Hibernate's second-level cache ({@code hibernate-jcache}) runs on Hoard's JCache provider. The
 * provider's default URI is used: Hibernate reads {@code hibernate.javax.cache.uri} as a class path
 * resource or URL, so a store is chosen with the {@code hoard.jcache.uri} system property.
 */
class HibernateSecondLevelCacheTest {

  /** A cached entity. */
  @Entity(name = "Book")
  @Cacheable
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  public static class Book {
    @Id
    Long id;
    String title;

    protected Book() {}

    Book(Long id, String title) {
      this.id = id;
      this.title = title;
    }
  }

  @Test
  void entitiesLoadedTwiceComeFromTheSecondLevelCache() {
    Configuration configuration = new Configuration()
        .addAnnotatedClass(Book.class)
        .setProperty("hibernate.connection.url", "jdbc:h2:mem:hoard_jcache_l2;DB_CLOSE_DELAY=-1")
        .setProperty("hibernate.hbm2ddl.auto", "create-drop")
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "jcache")
        .setProperty("hibernate.javax.cache.provider", HoardCachingProvider.class.getName())
        .setProperty("hibernate.javax.cache.missing_cache_strategy", "create")
        .setProperty("hibernate.generate_statistics", "true");
    try (SessionFactory sessions = configuration.buildSessionFactory()) {
      sessions.inTransaction(session -> session.persist(new Book(1L, "Dune")));
      sessions.getCache().evictAllRegions();
      Statistics statistics = sessions.getStatistics();
      statistics.clear();

      String first = sessions.fromTransaction(session -> session.find(Book.class, 1L).title);
      String second = sessions.fromTransaction(session -> session.find(Book.class, 1L).title);

      assertThat(first).isEqualTo("Dune");
      assertThat(second).isEqualTo("Dune");
      assertThat(statistics.getSecondLevelCacheMissCount()).isEqualTo(1);
      assertThat(statistics.getSecondLevelCachePutCount()).isEqualTo(1);
      assertThat(statistics.getSecondLevelCacheHitCount()).isEqualTo(1);
      assertThat(statistics.getPrepareStatementCount()).isEqualTo(1);
    }
  }
}
