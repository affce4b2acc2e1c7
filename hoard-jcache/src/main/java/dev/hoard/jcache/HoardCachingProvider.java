package dev.hoard.jcache;

import dev.hoard.jcache.internal.StoreCacheManager;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 {@link CachingProvider} of Hoard, found by {@code Caching.getCachingProvider()}.
 *
 * <p>A cache manager's URI is a Hoard store URL: {@code memory:///} (the default, a memory
 * store of 10,000 entries), {@code memory://?maximumSize=100000}, {@code file:///var/cache/app},
 * {@code redis://host:6379/0?prefix=app:}… On a shared or persistent store the caches of one
 * manager share it, each under its own key prefix; on memory each cache has a store of its own
 * (so {@code maximumSize} bounds each cache). The system property {@value
 * #DEFAULT_URI_PROPERTY} changes the default URI.
 *
 * <p>On stores that keep bytes (anything but memory) values and non-trivial keys are kept as
 * signed Java serialization: pass the properties {@value StoreCacheManager#SIGNING_KEY} (Base64,
 * at least 32 bytes, the same in every process) and {@value StoreCacheManager#ALLOWED_CLASSES}
 * (class patterns such as {@code com.example.model.*}) to {@link #getCacheManager(URI,
 * ClassLoader, Properties)}, or set them as system properties. A cache unwraps to its {@link
 * dev.hoard.cache.spi.CacheStore}.
 */
public final class HoardCachingProvider implements CachingProvider {

  /** The system property that overrides the default cache manager URI. */
  public static final String DEFAULT_URI_PROPERTY = "hoard.jcache.uri";

  /** A valid {@link URI} (unlike {@code memory://}) free of {@code ?}, which MBean names reject. */
  private static final String DEFAULT_URI = "memory:///";

  private final Map<ClassLoader, Map<URI, StoreCacheManager>> managers = new WeakHashMap<>();

  /** Called by {@link java.util.ServiceLoader}; applications use {@code Caching}. */
  public HoardCachingProvider() {}

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties merged = getDefaultProperties();
    if (properties != null) {
      merged.putAll(properties);
    }
    synchronized (managers) {
      Map<URI, StoreCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      StoreCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        manager = new StoreCacheManager(this, managerUri, loader, merged, this::forget);
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  private void forget(StoreCacheManager manager) {
    synchronized (managers) {
      Map<URI, StoreCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null) {
        byUri.remove(manager.getURI(), manager);
      }
    }
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : HoardCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return URI.create(System.getProperty(DEFAULT_URI_PROPERTY, DEFAULT_URI));
  }

  /** The {@code hoard.jcache.*} system properties. */
  @Override
  public Properties getDefaultProperties() {
    Properties defaults = new Properties();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("hoard.jcache.")) {
        defaults.setProperty(name, System.getProperty(name));
      }
    }
    return defaults;
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, null);
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(null, null, null);
  }

  @Override
  public void close() {
    for (StoreCacheManager manager : snapshot(null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    for (StoreCacheManager manager : snapshot(loader)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    StoreCacheManager manager;
    synchronized (managers) {
      Map<URI, StoreCacheManager> byUri = managers.get(loader);
      manager = byUri == null ? null : byUri.get(managerUri);
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** The open managers of {@code loader}, or of every loader when it is {@code null}. */
  private java.util.List<StoreCacheManager> snapshot(ClassLoader loader) {
    synchronized (managers) {
      java.util.List<StoreCacheManager> open = new java.util.ArrayList<>();
      managers.forEach((key, byUri) -> {
        if (loader == null || key == loader) {
          open.addAll(byUri.values());
        }
      });
      return open;
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return feature == OptionalFeature.STORE_BY_REFERENCE;
  }
}
