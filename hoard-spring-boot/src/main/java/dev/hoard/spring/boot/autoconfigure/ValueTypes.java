package dev.hoard.spring.boot.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what a byte store gives back for a {@link CachedValue} (the value as JSON reads it without
 * a type) into an instance of the class it was written as, for the classes an allow-list of
 * packages names only: a class name read from a shared store never picks what gets instantiated.
 * Classes load through the application's class loader, so values written before a devtools restart
 * come back as the new loader's classes.
 */
final class ValueTypes {

  private static final List<String> ALWAYS_ALLOWED =
      List.of("java.lang", "java.util", "java.time", "java.math");

  private final List<String> packages;
  private final ClassLoader classLoader;
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private final Map<String, Class<?>> resolved = new ConcurrentHashMap<>();

  ValueTypes(List<String> packages, ClassLoader classLoader) {
    this.packages = new ArrayList<>(ALWAYS_ALLOWED);
    this.packages.addAll(packages);
    this.classLoader = classLoader;
  }

  /**
   * The cached value as an instance of its recorded class.
   *
   * @throws IllegalArgumentException if the class is outside the allowed packages or cannot be
   *     loaded, or the value does not fit it
   */
  Object restore(CachedValue stored) {
    Object value = stored.value();
    if (value == null || value.getClass().getName().equals(stored.type())) {
      return value;
    }
    Class<?> type = resolved.computeIfAbsent(stored.type(), this::load);
    return type.isInstance(value) ? value : mapper.convertValue(value, type);
  }

  private Class<?> load(String name) {
    if (!allowed(name)) {
      throw new IllegalArgumentException(
          "cached value of class " + name + " is outside the packages values may be read as "
              + packages + "; add its package to hoard.cache.value-packages");
    }
    try {
      return Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "cached value of class " + name + " cannot be loaded: " + e.getMessage(), e);
    }
  }

  private boolean allowed(String className) {
    for (String prefix : packages) {
      if (className.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }
}
