package dev.hoard.examples.spring;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Repository;

/** The catalogue; reading a book stands in for a slow query, so it is cached. */
@Repository
public class BookRepository {

  private final AtomicLong queries = new AtomicLong();

  /** The book with this id, from the cache when it is there. */
  @Cacheable(cacheNames = "books", key = "#p0")
  public Book find(long id) {
    queries.incrementAndGet();
    return new Book(id, "Book " + id, List.of("Author " + id % 7));
  }

  /** Drops the cached copy after the book changed. */
  @CacheEvict(cacheNames = "books", key = "#p0")
  public void changed(long id) {}

  /** How many times the catalogue was really queried. */
  public long queries() {
    return queries.get();
  }
}
