package dev.hoard.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hoard.cache.spi.CacheStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry written with another signing key is a miss on {@code get} (and a read-through load
 * replaces it), never an exception. Runs on a file store, which keeps bytes as Redis does.
 */
class UndecodableEntryTest {

  /** Loads every key as its own name in capitals. */
  public static final class Capitals implements CacheLoader<String, String> {
    @Override
    public String load(String key) {
      return key.toUpperCase(Locale.ROOT);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new HashMap<>();
      keys.forEach(key -> loaded.put(key, load(key)));
      return loaded;
    }
  }

  private static Properties signedWith(char filler) {
    Properties properties = new Properties();
    properties.setProperty("hoard.jcache.signingKey",
        Base64.getEncoder().encodeToString(String.valueOf(filler).repeat(32).getBytes()));
    properties.setProperty("hoard.jcache.allowedClasses", "dev.hoard.**");
    return properties;
  }

  @Test
  void aValueSignedWithAnotherKeyIsAMissThatAReadThroughLoadReplaces(@TempDir Path directory) {
    URI fileUri = URI.create("file://" + directory.toUri().getPath());
    ClassLoader first = new ClassLoader(getClass().getClassLoader()) {};
    ClassLoader second = new ClassLoader(getClass().getClassLoader()) {};
    try (CacheManager writer = Caching.getCachingProvider().getCacheManager(fileUri, first,
            signedWith('a'));
        CacheManager reader = Caching.getCachingProvider().getCacheManager(fileUri, second,
            signedWith('b'))) {
      Cache<String, String> written = writer.createCache("words",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      written.put("hello", "written by the other key");

      Cache<String, String> plain = reader.createCache("words",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class));
      assertThat(plain.unwrap(CacheStore.class).description()).contains("file");
      assertThat(plain.get("hello")).isNull();

      reader.destroyCache("words");
      Cache<String, String> loading = reader.createCache("words",
          new MutableConfiguration<String, String>().setTypes(String.class, String.class)
              .setReadThrough(true)
              .setCacheLoaderFactory(FactoryBuilder.factoryOf(Capitals.class)));
      written.put("hello", "written by the other key");
      assertThat(loading.get("hello")).isEqualTo("HELLO");
      assertThat(loading.get("hello")).isEqualTo("HELLO");
    }
  }
}
