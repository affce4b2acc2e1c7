package dev.hoard.examples.spring;

import dev.hoard.cache.CacheStats;
import dev.hoard.spring.boot.autoconfigure.HoardCacheManager;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The shop's HTTP API. */
@RestController
public class BookshopController {

  private static final String CART = "cart";

  private final BookRepository books;
  private final HoardCacheManager caches;
  private final java.util.concurrent.atomic.AtomicLong catalogueRenders =
      new java.util.concurrent.atomic.AtomicLong();

  BookshopController(BookRepository books, HoardCacheManager caches) {
    this.books = books;
    this.caches = caches;
  }

  @GetMapping("/api/books/{id}")
  Book book(@PathVariable("id") long id) {
    return books.find(id);
  }

  @DeleteMapping("/api/books/{id}/cached")
  void forget(@PathVariable("id") long id) {
    books.changed(id);
  }

  /**
   * The catalogue page, public and fresh for a minute: the response cache in front of it
   * (hoard.response-cache.paths) answers repeats without calling this.
   */
  @GetMapping("/api/catalogue")
  org.springframework.http.ResponseEntity<Map<String, Object>> catalogue() {
    catalogueRenders.incrementAndGet();
    return org.springframework.http.ResponseEntity.ok()
        .cacheControl(org.springframework.http.CacheControl.maxAge(java.time.Duration.ofMinutes(1))
            .cachePublic())
        .body(Map.of("books", List.of(books.find(1).title(), books.find(2).title()),
            "renders", catalogueRenders.get()));
  }

  /** What the book cache has done, as Hoard counts it, and how often the catalogue was queried. */
  @GetMapping("/api/stats")
  Map<String, Object> stats() {
    CacheStats stats = caches.hoardCaches().get("books").stats();
    return Map.of("hits", stats.hits(), "misses", stats.misses(), "queries", books.queries());
  }

  /** The signed-in user and their cart, both kept in the Hoard session. */
  @GetMapping("/me")
  Map<String, Object> me(Principal user, HttpSession session) {
    return Map.of("user", user.getName(), "cart", cart(session));
  }

  @PostMapping("/me/cart/{id}")
  List<String> addToCart(@PathVariable("id") long id, HttpSession session) {
    List<String> cart = new ArrayList<>(cart(session));
    cart.add(books.find(id).title());
    session.setAttribute(CART, cart);
    return cart;
  }

  @SuppressWarnings("unchecked")
  private static List<String> cart(HttpSession session) {
    Object cart = session.getAttribute(CART);
    return cart == null ? List.of() : (List<String>) cart;
  }
}
