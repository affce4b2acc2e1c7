package dev.hoard.spring.boot.autoconfigure;

import java.util.stream.Stream;

/** {@link HoardCacheManagerTest}'s tests on Redis, Memcached and PostgreSQL. */
class HoardCacheManagerIT extends HoardCacheManagerTest {

  /** Found by name before the superclass's, so the inherited tests run on these stores. */
  static Stream<String> stores() {
    return Stream.of(
        "redis://127.0.0.1:6379/0?prefix=hoard-spring-test:" + RUN + ":",
        "memcached://127.0.0.1:11211?prefix=hoard-spring-test:" + RUN + ":",
        "jdbc:postgresql://127.0.0.1:5432/hoard_test?user=postgres&table=hoard_spring_test_cache");
  }
}
