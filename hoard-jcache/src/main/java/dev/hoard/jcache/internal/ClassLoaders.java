package dev.hoard.jcache.internal;

import java.util.function.Supplier;

/** Runs code with the cache manager's class loader as the context loader, for deserialization. */
final class ClassLoaders {

  private ClassLoaders() {}

  static <T> T withContextLoader(ClassLoader loader, Supplier<T> work) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (previous == loader) {
      return work.get();
    }
    thread.setContextClassLoader(loader);
    try {
      return work.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
