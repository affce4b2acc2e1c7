package dev.hoard.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * A small bookshop service on Hoard: books cached with {@code @Cacheable}, logins in Hoard
 * sessions under Spring Security, a rate limit on the login form. Which stores it uses is only
 * properties ({@code hoard.cache.url}, {@code hoard.session.url}); see application.properties.
 */
@SpringBootApplication
@EnableCaching
public class BookshopApplication {

  public static void main(String[] args) {
    SpringApplication.run(BookshopApplication.class, args);
  }
}
